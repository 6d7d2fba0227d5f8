namespace CreditGrid.Gateway.Audit;

/// <summary>How audit records travel from the request path to the store (<c>CreditGrid:Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "CreditGrid:Audit";

    /// <summary>Records that may wait for the writer; when full, requests wait (back-pressure) instead of dropping records.</summary>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>Most records the writer appends in one batch (one transaction in PostgreSQL).</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// How long the writer lets records gather after the first one arrives, unless a full batch is waiting: one append
    /// (one transaction) per interval instead of one per request, and no wake-up of the writer per request. It is also
    /// the longest a record waits in the queue when the store keeps up.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a request waits for room in a full queue before it is answered 503 instead of its result: credit
    /// information is not handed out without its audit record.
    /// </summary>
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
