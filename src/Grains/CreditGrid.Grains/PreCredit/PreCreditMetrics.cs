using System.Diagnostics.Metrics;
using CreditGrid.Grains.Telemetry;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// The desk's own instruments on meter <c>CreditGrid.PreCredit</c> (exported with the grid's telemetry): decision
/// latency and the PSI of each feature against the model's training distribution. Decisions by outcome and model
/// latency are on the grid's meter (<see cref="CreditGridMetrics"/>), where the Grafana dashboard reads them.
/// </summary>
public static class PreCreditMetrics
{
    public const string MeterName = "CreditGrid.PreCredit";

    private static readonly Meter Meter = new(MeterName);

    public static Histogram<double> DecisionDuration { get; } = Meter.CreateHistogram<double>("creditgrid.precredit.decision.duration", unit: "ms", description: "Time to decide inside the silo, features to stored audit record");

    private static Func<IEnumerable<Measurement<double>>>? _psi;

    static PreCreditMetrics() =>
        Meter.CreateObservableGauge("creditgrid.precredit.feature.psi", () => _psi?.Invoke() ?? [], description: "Population stability index of a feature against the training distribution");

    /// <summary>Points the PSI gauge at the silo's drift monitor.</summary>
    internal static void ObservePsi(FeatureDriftMonitor monitor) =>
        _psi = () => monitor.Report().Features.Select(f => new Measurement<double>(f.Psi, new KeyValuePair<string, object?>("feature", f.Feature)));
}
