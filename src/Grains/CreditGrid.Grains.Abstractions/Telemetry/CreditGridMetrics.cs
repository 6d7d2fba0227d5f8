using System.Diagnostics;
using System.Diagnostics.Metrics;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Telemetry;

/// <summary>
/// The grid's own instruments, all in one meter (<see cref="MeterName"/>) so an exporter enables them with one name.
/// Every recording is a no-op costing one branch when nothing listens, which keeps the fold and ingest paths cheap
/// with telemetry off.
/// </summary>
public static class CreditGridMetrics
{
    public const string MeterName = "CreditGrid";

    // Folding one record is pure computation: microseconds, with a long tail when a subject replays many records.
    private static readonly double[] FoldBuckets = [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.05];

    // A model scoring call ranges from an in-process tree ensemble (sub-millisecond) to a remote model (tens of ms).
    private static readonly double[] ModelBuckets = [0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>creditgrid.ingest.events.accepted</c>: records newly appended to the credit-event log.</summary>
    public static readonly Counter<long> EventsAccepted = Meter.CreateCounter<long>(
        "creditgrid.ingest.events.accepted", "{event}", "Credit records accepted into the credit-event log.");

    /// <summary><c>creditgrid.ingest.events.rejected</c>, attribute <c>reason</c>: records refused by validation.</summary>
    public static readonly Counter<long> EventsRejected = Meter.CreateCounter<long>(
        "creditgrid.ingest.events.rejected", "{event}", "Credit records rejected by validation, by reason (the per-record reason code of the API).");

    /// <summary><c>creditgrid.ingest.events.duplicate</c>, attribute <c>reason</c>: records already recorded or repeated in their batch.</summary>
    public static readonly Counter<long> EventsDuplicate = Meter.CreateCounter<long>(
        "creditgrid.ingest.events.duplicate", "{event}", "Credit records answered as duplicates (already_recorded, duplicate_in_batch).");

    /// <summary><c>creditgrid.subject.fold.duration</c>: time to fold one record into a subject's evaluation.</summary>
    public static readonly Histogram<double> FoldDuration = Meter.CreateHistogram(
        "creditgrid.subject.fold.duration", "s", "Time to fold one credit record into its subject's evaluation.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FoldBuckets });

    /// <summary>
    /// <c>creditgrid.subjects.active</c>, attribute <c>grade</c>: subjects held in memory by their current grade. A
    /// subject counts from activation to deactivation, so summed over silos it is the live grade distribution.
    /// </summary>
    public static readonly UpDownCounter<long> SubjectsByGrade = Meter.CreateUpDownCounter<long>(
        "creditgrid.subjects.active", "{subject}", "Active subjects by current credit grade (A–D).");

    /// <summary><c>creditgrid.warnings.raised</c>, attribute <c>severity</c>: integrity warnings raised (诚信预警).</summary>
    public static readonly Counter<long> WarningsRaised = Meter.CreateCounter<long>(
        "creditgrid.warnings.raised", "{warning}", "Integrity warnings raised, by severity (blue, yellow, orange, red).");

    /// <summary><c>creditgrid.precredit.decisions</c>, attribute <c>outcome</c>: pre-credit decisions made.</summary>
    public static readonly Counter<long> PreCreditDecisions = Meter.CreateCounter<long>(
        "creditgrid.precredit.decisions", "{decision}", "Pre-credit decisions, by outcome (approve_indicative, refer, reject).");

    /// <summary><c>creditgrid.precredit.model.duration</c>, attribute <c>model</c>: time a PD model takes to score one request.</summary>
    public static readonly Histogram<double> PreCreditModelDuration = Meter.CreateHistogram(
        "creditgrid.precredit.model.duration", "s", "Time a pre-credit PD model takes to score one request, by model name.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ModelBuckets });

    // Boxed once: tag values built per call would allocate on the hot path.
    private static readonly KeyValuePair<string, object?>[] GradeTags = Enum.GetValues<CreditGrade>().Select(g => new KeyValuePair<string, object?>("grade", g.ToString())).ToArray();
    private static readonly KeyValuePair<string, object?>[] SeverityTags = Enum.GetValues<WarningSeverity>().Select(s => new KeyValuePair<string, object?>("severity", s.ToString().ToLowerInvariant())).ToArray();

    /// <summary>Records a fold that began at <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp()"/>).</summary>
    public static void RecordFold(long startTimestamp)
    {
        if (FoldDuration.Enabled)
        {
            FoldDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        }
    }

    /// <summary>Moves one subject between grades; null on either side means it enters or leaves memory.</summary>
    public static void MoveGrade(CreditGrade? from, CreditGrade? to)
    {
        if (from == to)
        {
            return;
        }

        if (from is { } left)
        {
            SubjectsByGrade.Add(-1, GradeTags[(int)left]);
        }

        if (to is { } entered)
        {
            SubjectsByGrade.Add(1, GradeTags[(int)entered]);
        }
    }

    public static void RecordWarningRaised(WarningSeverity severity) => WarningsRaised.Add(1, SeverityTags[(int)severity]);

    public static void RecordRejected(string reason) => EventsRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void RecordDuplicate(string reason, int count = 1)
    {
        if (count > 0)
        {
            EventsDuplicate.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>For the pre-credit service: one decision, by its outcome.</summary>
    public static void RecordPreCreditDecision(PreCreditOutcome outcome) =>
        PreCreditDecisions.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)));

    /// <summary>For the pre-credit service: one model scoring call that began at <paramref name="startTimestamp"/>.</summary>
    public static void RecordModelLatency(string model, long startTimestamp)
    {
        if (PreCreditModelDuration.Enabled)
        {
            PreCreditModelDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("model", model));
        }
    }

    private static string OutcomeName(PreCreditOutcome outcome) => outcome switch
    {
        PreCreditOutcome.ApproveIndicative => "approve_indicative",
        PreCreditOutcome.Refer => "refer",
        PreCreditOutcome.Reject => "reject",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
