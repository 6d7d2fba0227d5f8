using CreditGrid.Grains.Alerts;

namespace CreditGrid.Grains.Alerts;

/// <summary>Latest state of each warning plus the feed counter; the feed itself is rebuilt from it on activation.</summary>
[GenerateSerializer, Alias("creditgrid.alert-desk-state.v1")]
public sealed class AlertDeskState
{
    [Id(0)]
    public Dictionary<string, Alert> Warnings { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public long LastFeedSequence { get; set; }
}
