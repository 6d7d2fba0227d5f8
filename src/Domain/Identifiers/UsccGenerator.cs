using CreditGrid.Domain.Reference;

namespace CreditGrid.Domain.Identifiers;

/// <summary>
/// Builds codes that pass <see cref="Uscc.Validate"/>, for simulation and tests. Output depends only on the
/// arguments (and the state of the supplied <see cref="Random"/>), so a seed reproduces the same population.
/// Organisation bodies follow the post-2015 pattern <c>MA</c> + six characters, which keeps generated codes
/// apart from any pre-reform organisation code.
/// </summary>
public static class UsccGenerator
{
    /// <summary>How many distinct organisation bodies <see cref="FromSerial"/> can produce per authority, category and division.</summary>
    public const long SerialCapacity = 31L * 31 * 31 * 31 * 31 * 31;

    private const string BodyPrefix = "MA";

    /// <summary>Assembles a code from its parts and computes both check characters.</summary>
    /// <param name="authority">Registration authority, position 1 (e.g. '9' for market regulation).</param>
    /// <param name="category">Institution category, position 2 (e.g. '1' for enterprise).</param>
    /// <param name="divisionCode">Six-digit GB/T 2260 code accepted by the region rule.</param>
    /// <param name="organisationBody">Eight characters of <see cref="Uscc.Alphabet"/>, positions 9–16.</param>
    /// <exception cref="ArgumentException">A part would make the code invalid.</exception>
    public static string Create(char authority, char category, string divisionCode, ReadOnlySpan<char> organisationBody)
    {
        if (!Uscc.IsDefinedCategory(authority, category))
        {
            throw new ArgumentException($"'{authority}{category}' is not a defined authority and category.", nameof(category));
        }

        ArgumentNullException.ThrowIfNull(divisionCode);
        if (divisionCode.Length != 6 || Uscc.RegionProblem(divisionCode) is not null)
        {
            throw new ArgumentException($"Division '{divisionCode}' is not acceptable in a code.", nameof(divisionCode));
        }

        if (organisationBody.Length != 8 || organisationBody.ContainsAnyExcept(Uscc.Alphabet))
        {
            throw new ArgumentException("The organisation body must be eight USCC characters.", nameof(organisationBody));
        }

        Span<char> code = stackalloc char[Uscc.Length];
        code[0] = authority;
        code[1] = category;
        divisionCode.CopyTo(code[2..8]);
        organisationBody.CopyTo(code[8..16]);
        code[16] = Uscc.ComputeOrganisationCodeCheckCharacter(code[8..16]);
        code[17] = Uscc.ComputeCheckCharacter(code[..17]);
        return new string(code);
    }

    /// <summary>
    /// The code whose organisation body encodes <paramref name="serial"/>; distinct serials give distinct codes,
    /// which lets a simulator number its subjects without collisions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="serial"/> is negative or not below <see cref="SerialCapacity"/>.</exception>
    public static string FromSerial(long serial, char authority = '9', char category = '1', string divisionCode = "610103")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(serial);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(serial, SerialCapacity);

        Span<char> body = stackalloc char[8];
        BodyPrefix.CopyTo(body);
        for (var i = 7; i >= 2; i--)
        {
            body[i] = Uscc.Alphabet[(int)(serial % 31)];
            serial /= 31;
        }

        return Create(authority, category, divisionCode, body);
    }

    /// <summary>One random valid code; repeated calls may collide, use <see cref="CreateMany"/> for distinct codes.</summary>
    public static string Create(Random random, char authority = '9', char category = '1', string divisionCode = "610103")
    {
        ArgumentNullException.ThrowIfNull(random);
        return FromSerial(random.NextInt64(SerialCapacity), authority, category, divisionCode);
    }

    /// <summary>
    /// <paramref name="count"/> distinct valid codes, reproducible from <paramref name="seed"/>. Each code is
    /// registered in a division drawn from <paramref name="divisionCodes"/>, by default Shaanxi's county-level units.
    /// </summary>
    public static IReadOnlyList<string> CreateMany(
        int seed,
        int count,
        char authority = '9',
        char category = '1',
        IReadOnlyList<string>? divisionCodes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var divisions = divisionCodes ?? [.. AdministrativeDivisions.CountyLevel.Select(d => d.Code)];
        if (divisions.Count == 0)
        {
            throw new ArgumentException("At least one division code is needed.", nameof(divisionCodes));
        }

        var random = new Random(seed);
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        var codes = new List<string>(count);
        while (codes.Count < count)
        {
            var code = Create(random, authority, category, divisions[random.Next(divisions.Count)]);
            if (seen.Add(code))
            {
                codes.Add(code);
            }
        }

        return codes;
    }
}
