using System.Collections.Frozen;
using System.Reflection;

namespace CreditGrid.Domain.Reference;

/// <summary>
/// GB/T 2260 administrative divisions (行政区划代码). The project holds the full table for Shaanxi only,
/// loaded once from the embedded <c>shaanxi-divisions.csv</c>; other provinces are known by their
/// two-digit prefix alone (<see cref="IsKnownProvincePrefix"/>).
/// </summary>
public static class AdministrativeDivisions
{
    /// <summary>
    /// 杨陵区 (610403) is legally a district of Xianyang, but the province ranks the Yangling
    /// agricultural demonstration zone (杨凌示范区) beside the ten prefecture-level cities (各市（区）).
    /// </summary>
    public const string YanglingCode = "610403";

    /// <summary>The national code used by centrally registered subjects (国家级登记机关).</summary>
    public const string NationalCode = "100000";

    private const string ResourceFileName = "shaanxi-divisions.csv";

    // GB/T 2260 first-level prefixes: the 31 mainland provinces, Taiwan, Hong Kong and Macao.
    private static readonly FrozenSet<string> ProvincePrefixes = FrozenSet.ToFrozenSet(
    [
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ProvincePrefixLookup =
        ProvincePrefixes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenDictionary<string, Division> ByCode;

    static AdministrativeDivisions()
    {
        var peers = new Dictionary<string, string>(StringComparer.Ordinal);
        Shaanxi = Load(peers);
        ByCode = Shaanxi.ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        PeerByCode = peers.ToFrozenDictionary(StringComparer.Ordinal);
        CityLevelPeers = [.. Shaanxi.Where(d => PeerByCode.GetValueOrDefault(d.Code) == d.Code)];
        CountyLevel = [.. Shaanxi.Where(d => d.Level == DivisionLevel.County)];
    }

    /// <summary>Every Shaanxi division in table order: the province, the prefecture cities, then county-level units.</summary>
    public static IReadOnlyList<Division> Shaanxi { get; }

    private static FrozenDictionary<string, string> PeerByCode { get; }

    /// <summary>
    /// The city-level ranking peer group: the ten prefecture-level cities (设区市) plus Yangling (610403),
    /// which keeps its county-level <see cref="DivisionLevel"/> but is ranked with the cities.
    /// </summary>
    public static IReadOnlyList<Division> CityLevelPeers { get; }

    /// <summary>The county-level units (districts, counties and county-level cities), Yangling included.</summary>
    public static IReadOnlyList<Division> CountyLevel { get; }

    /// <summary>The Shaanxi division with this code, or null when it is not in the table.</summary>
    public static Division? Find(string code) =>
        code is not null && ByCode.TryGetValue(code, out var division) ? division : null;

    public static bool IsKnownShaanxi(string code) => Find(code) is not null;

    /// <summary>Whether the first two characters are a GB/T 2260 province-level prefix.</summary>
    public static bool IsKnownProvincePrefix(ReadOnlySpan<char> code) =>
        code.Length >= 2 && ProvincePrefixLookup.Contains(code[..2]);

    /// <summary>
    /// The city-level peer (ten prefecture cities plus Yangling) a division rolls up to, or null.
    /// A county-level code gives its prefecture city, except Yangling (610403), which gives itself
    /// because the province ranks it as a city-level peer rather than as part of Xianyang.
    /// A prefecture code gives itself; the province code and unknown codes give null.
    /// </summary>
    public static Division? CityLevelOf(string code) =>
        PeerByCode.TryGetValue(code, out var peer) ? Find(peer) : null;

    // city_peer: the city-level ranking peer a division counts in; the file, not code, says that Yangling is its own.
    private static Division[] Load(Dictionary<string, string> peers)
    {
        var assembly = typeof(AdministrativeDivisions).Assembly;
        using var reader = new StreamReader(OpenResource(assembly, ResourceFileName));

        var header = reader.ReadLine();
        if (header != "code,name,level,parent_code,city_peer")
        {
            throw new InvalidDataException($"{ResourceFileName} has an unexpected header '{header}'.");
        }

        var divisions = new List<Division>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 5)
            {
                throw new InvalidDataException($"{ResourceFileName}: malformed row '{line}'.");
            }

            divisions.Add(new Division(
                fields[0],
                fields[1],
                ParseLevel(fields[2], line),
                fields[3].Length == 0 ? null : fields[3]));
            if (fields[4].Length > 0)
            {
                peers[fields[0]] = fields[4];
            }
        }

        return [.. divisions];
    }

    // The table distinguishes districts, counties and county-level cities; the domain ranks all three together.
    private static DivisionLevel ParseLevel(string level, string line) => level switch
    {
        "province" => DivisionLevel.Province,
        "prefecture_city" => DivisionLevel.PrefectureCity,
        "district" or "county" or "county_level_city" => DivisionLevel.County,
        _ => throw new InvalidDataException($"{ResourceFileName}: unknown level in row '{line}'."),
    };

    internal static Stream OpenResource(Assembly assembly, string fileName)
    {
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal));
        return name is null
            ? throw new InvalidOperationException($"Embedded resource '{fileName}' is missing from {assembly.GetName().Name}.")
            : assembly.GetManifestResourceStream(name)!;
    }
}

/// <summary>One GB/T 2260 division.</summary>
/// <param name="Code">Six-digit division code.</param>
/// <param name="Name">Official Chinese name, e.g. 碑林区.</param>
/// <param name="Level">Province, prefecture-level city, or county-level unit.</param>
/// <param name="ParentCode">The enclosing division; null for the province.</param>
public sealed record Division(string Code, string Name, DivisionLevel Level, string? ParentCode);

public enum DivisionLevel
{
    Province,
    PrefectureCity,

    /// <summary>县级: districts (市辖区), counties (县) and county-level cities (县级市).</summary>
    County,
}
