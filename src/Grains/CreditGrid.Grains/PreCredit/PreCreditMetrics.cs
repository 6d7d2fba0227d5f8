using System.Diagnostics.Metrics;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// The desk's instruments on meter <c>CreditGrid.PreCredit</c>, for any OpenTelemetry or dotnet-counters listener:
/// decisions by outcome, decision latency, and the PSI of each feature against the model's training distribution.
/// </summary>
public static class PreCreditMetrics
{
    public const string MeterName = "CreditGrid.PreCredit";

    private static readonly Meter Meter = new(MeterName);

    public static Counter<long> Decisions { get; } = Meter.CreateCounter<long>("creditgrid.precredit.decisions", description: "Pre-credit decisions by outcome");

    public static Histogram<double> DecisionDuration { get; } = Meter.CreateHistogram<double>("creditgrid.precredit.decision.duration", unit: "ms", description: "Time to decide inside the silo, features to stored audit record");

    private static Func<IEnumerable<Measurement<double>>>? _psi;

    static PreCreditMetrics() =>
        Meter.CreateObservableGauge("creditgrid.precredit.feature.psi", () => _psi?.Invoke() ?? [], description: "Population stability index of a feature against the training distribution");

    /// <summary>Points the PSI gauge at the silo's drift monitor.</summary>
    internal static void ObservePsi(FeatureDriftMonitor monitor) =>
        _psi = () => monitor.Report().Features.Select(f => new Measurement<double>(f.Psi, new KeyValuePair<string, object?>("feature", f.Feature)));
}
