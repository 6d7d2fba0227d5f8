namespace CreditGrid.Grains;

/// <summary>Names of the Orleans storage providers the grains use.</summary>
public static class CreditStorage
{
    /// <summary>Grain state (snapshots and aggregates): memory in the single-process default, PostgreSQL in production.</summary>
    public const string StateStorageName = "credit-state";
}
