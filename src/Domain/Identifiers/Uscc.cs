using System.Collections.Frozen;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Reference;

namespace CreditGrid.Domain.Identifiers;

/// <summary>
/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters made of the registration
/// authority (1), institution category (2), GB/T 2260 division of the registering authority (3–8),
/// the GB 11714 organisation code (9–17, with its own check character at 17) and a check character (18).
/// </summary>
public static class Uscc
{
    /// <summary>Code length.</summary>
    public const int Length = 18;

    /// <summary>The 31 permitted characters in value order (0–30); I, O, Z, S and V are excluded.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    // 3^(i-1) mod 31 for positions 1..17.
    private static readonly int[] CheckWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private static readonly int[] OrganisationCodeWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    // GB 32100 Annex A. Y ("other") lists no categories in the annex; '1' is the only one issued in practice.
    private static readonly FrozenDictionary<char, string> CategoriesByAuthority = new Dictionary<char, string>
    {
        ['1'] = "1239",
        ['2'] = "19",
        ['3'] = "123459",
        ['4'] = "19",
        ['5'] = "1239",
        ['6'] = "129",
        ['7'] = "129",
        ['8'] = "19",
        ['9'] = "123",
        ['A'] = "19",
        ['N'] = "1239",
        ['Y'] = "1",
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenSet<string>> LegacyWhitelist = new(LoadWhitelist);

    /// <summary>
    /// Classifies a code into the first failure class of DOMAIN §2.2, checking in order: format, authority and
    /// category, region, organisation-code check, final check. Leading and trailing white space is ignored
    /// and letters are upper-cased. Codes on the confirmed legacy whitelist skip both check-character tests.
    /// </summary>
    public static UsccCheck Validate(string? code)
    {
        if (code is null)
        {
            return Fail(UsccFailure.WrongFormat, "code is missing");
        }

        var normalised = code.Trim().ToUpperInvariant();
        if (normalised.Length != Length)
        {
            return Fail(UsccFailure.WrongFormat, $"code is {normalised.Length} characters long, expected {Length}");
        }

        for (var i = 0; i < Length; i++)
        {
            if (ValueOf(normalised[i]) < 0)
            {
                return Fail(
                    UsccFailure.WrongFormat,
                    $"character '{normalised[i]}' at position {i + 1} is not allowed (I, O, Z, S and V are excluded)");
            }
        }

        var authority = normalised[0];
        var category = normalised[1];
        if (!CategoriesByAuthority.TryGetValue(authority, out var categories))
        {
            return Fail(UsccFailure.WrongAuthority, $"registration authority '{authority}' is not defined", normalised);
        }

        if (!categories.Contains(category))
        {
            return Fail(
                UsccFailure.WrongAuthority,
                $"institution category '{category}' is not defined for registration authority '{authority}'",
                normalised);
        }

        var subjectType = SubjectTypeOf(authority, category);
        var division = normalised.Substring(2, 6);
        if (RegionProblem(division) is { } regionProblem)
        {
            return Fail(UsccFailure.WrongRegion, regionProblem, normalised, subjectType);
        }

        if (LegacyWhitelist.Value.Contains(normalised))
        {
            return new UsccCheck(null, "valid: confirmed legacy code, check characters not verified", normalised, subjectType, division, true);
        }

        var expectedOrgCheck = ComputeOrganisationCodeCheckCharacter(normalised.AsSpan(8, 8));
        if (normalised[16] != expectedOrgCheck)
        {
            return Fail(
                UsccFailure.WrongOrgCodeCheck,
                $"organisation-code check character is '{normalised[16]}', expected '{expectedOrgCheck}'",
                normalised,
                subjectType,
                division);
        }

        var expectedCheck = ComputeCheckCharacter(normalised.AsSpan(0, Length - 1));
        if (normalised[17] != expectedCheck)
        {
            return Fail(
                UsccFailure.WrongCheck,
                $"check character is '{normalised[17]}', expected '{expectedCheck}'",
                normalised,
                subjectType,
                division);
        }

        return new UsccCheck(null, "valid", normalised, subjectType, division, false);
    }

    /// <summary>The GB 32100 check character (position 18) for the first 17 characters of a code.</summary>
    /// <exception cref="ArgumentException">The input is not 17 characters of <see cref="Alphabet"/>.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException($"Expected {Length - 1} characters, got {first17.Length}.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = ValueOf(first17[i]);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not a USCC character.", nameof(first17));
            }

            sum += value * CheckWeights[i];
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }

    /// <summary>
    /// The GB 11714 organisation-code check character (position 17) for its eight-character body (positions 9–16).
    /// Unlike the USCC check, letters take their full-alphabet value here (A=10 … Z=35).
    /// </summary>
    /// <exception cref="ArgumentException">The input is not eight digits or upper-case letters.</exception>
    public static char ComputeOrganisationCodeCheckCharacter(ReadOnlySpan<char> body)
    {
        if (body.Length != OrganisationCodeWeights.Length)
        {
            throw new ArgumentException($"Expected {OrganisationCodeWeights.Length} characters, got {body.Length}.", nameof(body));
        }

        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            var value = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => throw new ArgumentException($"'{c}' is not an organisation-code character.", nameof(body)),
            };
            sum += value * OrganisationCodeWeights[i];
        }

        return (11 - (sum % 11)) switch
        {
            10 => 'X',
            11 => '0',
            var r => (char)('0' + r),
        };
    }

    /// <summary>Whether an authority and category pair appears in GB 32100 Annex A.</summary>
    public static bool IsDefinedCategory(char authority, char category) =>
        CategoriesByAuthority.TryGetValue(authority, out var categories) && categories.Contains(category);

    /// <summary>Why a six-character division segment is not acceptable, or null when it is.</summary>
    internal static string? RegionProblem(string division)
    {
        foreach (var c in division)
        {
            if (c is < '0' or > '9')
            {
                return $"division code '{division}' is not six digits";
            }
        }

        if (division == AdministrativeDivisions.NationalCode)
        {
            return null;
        }

        // Only Shaanxi's table is held in full; elsewhere the province prefix is the most that can be checked.
        if (division.StartsWith("61", StringComparison.Ordinal))
        {
            return AdministrativeDivisions.IsKnownShaanxi(division)
                ? null
                : $"division code '{division}' is not a known Shaanxi division";
        }

        return AdministrativeDivisions.IsKnownProvincePrefix(division)
            ? null
            : $"division code '{division}' does not start with a GB/T 2260 province prefix";
    }

    private static SubjectType SubjectTypeOf(char authority, char category) => (authority, category) switch
    {
        ('1', '1' or '2') => SubjectType.GovernmentBody,
        ('9', '2') => SubjectType.IndividualBusiness,
        ('9', '1' or '3') => SubjectType.Enterprise,
        ('5', _) => SubjectType.SocialOrganisation,
        _ => SubjectType.Other,
    };

    private static int ValueOf(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Y' => Alphabet.IndexOf(c, 10),
        _ => -1,
    };

    private static UsccCheck Fail(
        UsccFailure failure,
        string message,
        string? normalised = null,
        SubjectType? subjectType = null,
        string? division = null) =>
        new(failure, message, normalised, subjectType, division, false);

    private static FrozenSet<string> LoadWhitelist()
    {
        using var reader = new StreamReader(AdministrativeDivisions.OpenResource(typeof(Uscc).Assembly, "uscc-whitelist.csv"));
        reader.ReadLine();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var code = line.Trim().ToUpperInvariant();
            if (code.Length > 0)
            {
                codes.Add(code);
            }
        }

        return codes.ToFrozenSet(StringComparer.Ordinal);
    }
}

/// <summary>
/// The outcome of <see cref="Uscc.Validate"/>. Fields are filled as far as validation got: a code that fails
/// its check character still reports its normalised form, subject type and division.
/// </summary>
/// <param name="Failure">The first failure class found, or null when the code is acceptable.</param>
/// <param name="Message">What is wrong, in English, e.g. "check character is 'M', expected '1'".</param>
/// <param name="Normalised">The trimmed, upper-cased code once its format is right; otherwise null.</param>
/// <param name="SubjectType">Derived from authority and category once they are known; otherwise null.</param>
/// <param name="DivisionCode">Positions 3–8 once the region is accepted; otherwise null.</param>
/// <param name="Whitelisted">
/// The code is on the confirmed legacy whitelist (DOMAIN §2.2), so its check characters were not verified.
/// Such codes are legal and must not be counted as wrong codes.
/// </param>
public sealed record UsccCheck(UsccFailure? Failure, string Message, string? Normalised, SubjectType? SubjectType, string? DivisionCode, bool Whitelisted)
{
    public bool IsValid => Failure is null;
}

/// <summary>Wrong-code (错码) classes of DOMAIN §2.2, in the order validation tests them.</summary>
public enum UsccFailure
{
    /// <summary>Length is not 18, or a character is outside the 31-character set.</summary>
    WrongFormat,

    /// <summary>Registration authority (position 1) or institution category (position 2) is undefined.</summary>
    WrongAuthority,

    /// <summary>Positions 3–8 are not an acceptable GB/T 2260 code.</summary>
    WrongRegion,

    /// <summary>Position 17 fails the GB 11714 organisation-code check.</summary>
    WrongOrgCodeCheck,

    /// <summary>Position 18 fails the GB 32100 check.</summary>
    WrongCheck,
}

/// <summary>Stable wire codes for <see cref="UsccFailure"/>, as named in DOMAIN §2.2; they appear in API rejections.</summary>
public static class UsccFailureCodes
{
    /// <summary>The wire code, e.g. <c>WRONG_CHECK</c>.</summary>
    public static string Code(this UsccFailure failure) => failure switch
    {
        UsccFailure.WrongFormat => "WRONG_FORMAT",
        UsccFailure.WrongAuthority => "WRONG_AUTHORITY",
        UsccFailure.WrongRegion => "WRONG_REGION",
        UsccFailure.WrongOrgCodeCheck => "WRONG_ORGCODE_CHECK",
        UsccFailure.WrongCheck => "WRONG_CHECK",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <summary>The failure named by a wire code, or null when the code is not one of them.</summary>
    public static UsccFailure? FromCode(string? code) => code switch
    {
        "WRONG_FORMAT" => UsccFailure.WrongFormat,
        "WRONG_AUTHORITY" => UsccFailure.WrongAuthority,
        "WRONG_REGION" => UsccFailure.WrongRegion,
        "WRONG_ORGCODE_CHECK" => UsccFailure.WrongOrgCodeCheck,
        "WRONG_CHECK" => UsccFailure.WrongCheck,
        _ => null,
    };
}
