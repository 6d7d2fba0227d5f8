namespace CreditGrid.Storage.Audit;

/// <summary>
/// The append-only audit log: entries are chained in the order they are appended and are never changed or removed.
/// </summary>
public interface IAuditStore
{
    /// <summary>
    /// Appends the entries, in order, as one unit after the current last record, and returns them as chained.
    /// When it returns, the records are durable (for a durable store).
    /// </summary>
    Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Records matching every filter of <paramref name="query"/>, in ascending sequence order.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain from the first record and reports where it first breaks.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}

/// <summary>Filters of an audit query; null means "any". Results come in sequence order, after <paramref name="After"/>.</summary>
/// <param name="Role">Records whose roles include this one.</param>
/// <param name="From">Inclusive lower bound of the record time.</param>
/// <param name="To">Exclusive upper bound of the record time.</param>
/// <param name="After">Only sequences greater than this: the paging cursor (the last sequence of the previous page).</param>
public sealed record AuditQuery(
    string? Who = null,
    string? Role = null,
    string? Subject = null,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long After = 0,
    int Limit = 100)
{
    /// <summary>Whether <paramref name="record"/> passes every filter except the cursor and the limit.</summary>
    public bool Matches(AuditRecord record)
    {
        var entry = record.Entry;
        return (Who is null || entry.Who == Who)
            && (Role is null || entry.Roles.Contains(Role, StringComparer.Ordinal))
            && (Subject is null || entry.Subject == Subject)
            && (Action is null || entry.Action == Action)
            && (From is null || entry.Time >= From)
            && (To is null || entry.Time < To);
    }
}
