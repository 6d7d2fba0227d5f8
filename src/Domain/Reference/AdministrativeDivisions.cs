namespace CreditGrid.Domain.Reference;

// PLACEHOLDER — replaced by the embedded GB/T 2260 table; public members are the contract.
public static class AdministrativeDivisions
{
    public static IReadOnlyList<Division> Shaanxi { get; } = [];

    public static Division? Find(string code) => null;

    public static bool IsKnownShaanxi(string code) => false;

    /// <summary>The city-level peer (ten prefecture cities plus Yangling) a division rolls up to, or null.</summary>
    public static Division? CityLevelOf(string code) => null;
}

public sealed record Division(string Code, string Name, DivisionLevel Level, string? ParentCode);

public enum DivisionLevel
{
    Province,
    PrefectureCity,
    County,
}
