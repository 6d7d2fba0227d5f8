using System.Security.Cryptography;

namespace CreditGrid.Gateway.Reports;

/// <summary>
/// A report's verification code: 16 random characters of Crockford's base 32 (no I, L, O, U, so nothing is misread),
/// printed in four groups, e.g. <c>7Q2M-K9XD-4TBN-H3WC</c>. About 80 bits, so codes cannot be guessed.
/// </summary>
public static class VerificationCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<char> chars = stackalloc char[19];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = i % 5 == 4 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>The normalised code (upper case, grouped), or null when <paramref name="value"/> is not a code.</summary>
    public static string? Normalise(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var compact = value.Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (compact.Length != 16 || compact.Any(c => !Alphabet.Contains(c)))
        {
            return null;
        }

        return string.Join('-', compact.Chunk(4).Select(c => new string(c)));
    }
}
