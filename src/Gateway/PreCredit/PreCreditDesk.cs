using CreditGrid.Grains.PreCredit;

namespace CreditGrid.Gateway.PreCredit;

/// <summary>
/// The reference to the pre-credit desk, kept: <c>GetGrain&lt;T&gt;(0)</c> resolves the interface's grain type by
/// reflection on every call, and the desk (a stateless worker with one key) is the same grain for every request.
/// </summary>
internal static class PreCreditDesk
{
    private static volatile Kept? _kept;

    public static IPreCreditGrain Desk(this IGrainFactory grains)
    {
        if (_kept is { } kept && ReferenceEquals(kept.Grains, grains))
        {
            return kept.Desk;
        }

        var desk = grains.GetGrain<IPreCreditGrain>(0);
        // A client that has not yet received the cluster's type map gets a provisional system type: not kept.
        if (!desk.GetGrainId().Type.ToString()!.StartsWith(GrainTypePrefix.SystemPrefix, StringComparison.Ordinal))
        {
            _kept = new Kept(grains, desk);
        }

        return desk;
    }

    private sealed record Kept(IGrainFactory Grains, IPreCreditGrain Desk);
}
