namespace CreditGrid.Storage.Audit;

/// <summary>
/// The single-process twin of the PostgreSQL audit log: the same chain, no durability. One lock serialises appends,
/// so the chain is linear by construction.
/// </summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _gate = new();
    private readonly List<AuditRecord> _records = [];

    /// <summary>Records held; for tests and measurements.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            var last = _records.Count == 0 ? null : _records[^1];
            var linked = AuditChain.Link(last?.Sequence ?? 0, last is null ? AuditChain.GenesisHash : last.Hash, entries);
            _records.AddRange(linked);
            return Task.FromResult(linked);
        }
    }

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var found = new List<AuditRecord>(Math.Min(query.Limit, 1024));
        lock (_gate)
        {
            // Sequence n sits at index n - 1, so the cursor is a direct jump rather than a scan.
            for (var i = (int)Math.Clamp(query.After, 0, _records.Count); i < _records.Count && found.Count < query.Limit; i++)
            {
                if (query.Matches(_records[i]))
                {
                    found.Add(_records[i]);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<AuditRecord>>(found);
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        AuditRecord[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _records];
        }

        var verifier = new AuditChainVerifier();
        foreach (var record in snapshot)
        {
            if (!verifier.Accept(record.Sequence, record.Entry, record.Hash))
            {
                break;
            }
        }

        return Task.FromResult(verifier.Result());
    }
}
