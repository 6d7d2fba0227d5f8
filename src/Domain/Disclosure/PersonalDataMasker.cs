using System.Globalization;
using System.Text.RegularExpressions;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Disclosure;

/// <summary>
/// Masks personal data before anything leaves for the public: 18-digit resident identity numbers (GB 11643) and
/// mainland mobile numbers in free text, and the personal names under which individual businesses without a
/// trade name are registered (个体工商户 named after their operator).
/// </summary>
public static partial class PersonalDataMasker
{
    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdCheckCharacters = "10X98765432";

    // Words that make a name a trade name rather than a person's name.
    private static readonly string[] TradeWords =
        ["店", "馆", "部", "行", "厂", "坊", "社", "所", "室", "站", "场", "园", "中心", "公司", "商", "铺", "摊", "屋", "吧", "院", "业"];

    /// <summary>The text with every identity and mobile number masked; null stays null.</summary>
    public static string? MaskText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Identity numbers first: a mobile-number pattern can match inside an identity number's digits.
        var masked = IdentityNumber().Replace(text, m => IsResidentIdentityNumber(m.Value) ? m.Value[..6] + new string('*', 8) + m.Value[14..] : m.Value);
        return MobileNumber().Replace(masked, m => m.Value[..3] + "****" + m.Value[7..]);
    }

    /// <summary>
    /// The subject's name as the public sees it: an individual business registered under its operator's personal
    /// name shows only the surname (张*), every other name is shown as registered, with numbers masked.
    /// </summary>
    public static string? MaskSubjectName(string? name, SubjectType subjectType)
    {
        if (name is null)
        {
            return null;
        }

        if (subjectType == SubjectType.IndividualBusiness && LooksLikePersonalName(name))
        {
            var first = StringInfo.GetNextTextElementLength(name);
            return name[..first] + new string('*', new StringInfo(name).LengthInTextElements - 1);
        }

        return MaskText(name);
    }

    /// <summary>Two to four Chinese characters with no trade word: how an operator's own name looks.</summary>
    public static bool LooksLikePersonalName(string name) =>
        name.Length is >= 2 and <= 4
        && name.All(c => c is >= '\u4e00' and <= '\u9fff' or '·')
        && !TradeWords.Any(w => name.Contains(w, StringComparison.Ordinal));

    /// <summary>A valid GB 11643 number: a real birth date and the ISO 7064 MOD 11-2 check character.</summary>
    public static bool IsResidentIdentityNumber(string value)
    {
        if (value.Length != 18 || !DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }

            sum += (value[i] - '0') * IdWeights[i];
        }

        return char.ToUpperInvariant(value[17]) == IdCheckCharacters[sum % 11];
    }

    // Not preceded or followed by another digit or letter, so USCCs and longer numbers are left alone.
    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdentityNumber();

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex MobileNumber();
}
