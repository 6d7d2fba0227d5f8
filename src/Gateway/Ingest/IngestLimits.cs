namespace CreditGrid.Gateway.Ingest;

/// <summary>Batch limits of <c>POST /api/v1/events</c> (configuration section <c>CreditGrid:Ingest</c>).</summary>
public sealed class IngestLimits
{
    public const string Section = "CreditGrid:Ingest";

    /// <summary>Most records in one batch; more is answered 413.</summary>
    public int MaxRecordsPerBatch { get; set; } = 10_000;

    /// <summary>Largest request body; more is answered 413.</summary>
    public long MaxBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>How far a decision date may lie ahead of the gateway's clock (providers' clocks drift).</summary>
    public TimeSpan ClockTolerance { get; set; } = TimeSpan.FromMinutes(10);
}
