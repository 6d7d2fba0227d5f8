using System.Text;

namespace CreditGrid.Storage.Audit;

/// <summary>Makes request-supplied text storable: bounded, without control characters, valid UTF-16.</summary>
internal static class AuditText
{
    /// <returns>Null for null or blank input; otherwise the trimmed, cleaned text of at most <paramref name="maxLength"/> characters.</returns>
    public static string? Clean(string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length > maxLength)
        {
            text = text[..maxLength];
        }

        if (!NeedsCleaning(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else if (!char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
