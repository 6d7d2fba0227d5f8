namespace CreditGrid.Simulator;

/// <summary>Size and seed of a simulated province.</summary>
public sealed record ProvinceOptions
{
    public int Enterprises { get; init; } = 10_000;

    public int GovernmentBodies { get; init; } = 300;

    /// <summary>Same seed, same province: codes, names and histories are reproducible.</summary>
    public int Seed { get; init; } = 2023;

    /// <summary>How many years of history each subject gets.</summary>
    public int HistoryYears { get; init; } = 4;
}
