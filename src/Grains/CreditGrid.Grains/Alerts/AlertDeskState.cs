using CreditGrid.Grains.Alerts;

namespace CreditGrid.Grains.Alerts;

/// <summary>
/// How an earlier version stored the desk: every warning in one grain-state record. Only read, to carry those
/// warnings over into entries (<see cref="AlertDeskGrain"/>), and then cleared.
/// </summary>
[GenerateSerializer, Alias("creditgrid.alert-desk-state.v1")]
public sealed class AlertDeskState
{
    [Id(0)]
    public Dictionary<string, Alert> Warnings { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public long LastFeedSequence { get; set; }
}
