namespace CreditGrid.Storage.Audit;

/// <summary>
/// An audit store whose append is a short in-memory step with nothing to wait for, so the request path appends its
/// record itself instead of queueing it for a batch writer.
/// </summary>
/// <remarks>
/// Batching exists to amortise a database round trip. Without one it only costs: a queued record outlives the
/// request that made it, and the gen0 collections that find it waiting promote it; at tens of thousands of lookups a
/// second that was hundreds of kilobytes per collection and the longest pauses of the lookup path.
/// </remarks>
public interface IInlineAuditStore : IAuditStore
{
    /// <summary>Chains <paramref name="entry"/> after the current last record; when it returns, the record is held.</summary>
    void Append(AuditEntry entry);
}
