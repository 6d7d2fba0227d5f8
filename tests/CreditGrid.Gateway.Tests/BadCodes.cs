using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// Codes that fail exactly one USCC rule: each starts from a valid generated code, breaks one thing, and
/// recomputes the check characters that validation tests later, so the intended failure is the first one found.
/// </summary>
internal static class BadCodes
{
    public static string For(string failureCode) => failureCode switch
    {
        "WRONG_FORMAT" => WrongFormat(),
        "WRONG_AUTHORITY" => WrongAuthority(),
        "WRONG_REGION" => WrongRegion(),
        "WRONG_ORGCODE_CHECK" => WrongOrganisationCodeCheck(),
        "WRONG_CHECK" => WrongCheck(),
        _ => throw new ArgumentOutOfRangeException(nameof(failureCode), failureCode, null),
    };

    // 'I' is one of the five letters the code alphabet leaves out.
    public static string WrongFormat() => Replace(Records.NewEnterprise(), 10, 'I');

    // Registration authority 'B' is not defined by GB 32100 Annex A.
    public static string WrongAuthority() => WithCheck(Replace(Records.NewEnterprise(), 0, 'B'));

    // 61 is Shaanxi, but 619999 is not in its division table.
    public static string WrongRegion()
    {
        var code = Records.NewEnterprise().ToCharArray();
        "619999".CopyTo(0, code, 2, 6);
        return WithCheck(new string(code));
    }

    public static string WrongOrganisationCodeCheck()
    {
        var code = Records.NewEnterprise();
        var wrong = code[16] == '0' ? '1' : '0';
        return WithCheck(Replace(code, 16, wrong));
    }

    public static string WrongCheck()
    {
        var code = Records.NewEnterprise();
        var wrong = Uscc.Alphabet[(Uscc.Alphabet.IndexOf(code[17], StringComparison.Ordinal) + 1) % Uscc.Alphabet.Length];
        return Replace(code, 17, wrong);
    }

    private static string Replace(string code, int index, char c)
    {
        var chars = code.ToCharArray();
        chars[index] = c;
        return new string(chars);
    }

    private static string WithCheck(string code) => string.Concat(code.AsSpan(0, 17), [Uscc.ComputeCheckCharacter(code.AsSpan(0, 17))]);
}
