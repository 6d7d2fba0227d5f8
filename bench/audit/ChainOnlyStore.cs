using CreditGrid.Storage.Audit;

namespace CreditGrid.Bench.Audit;

/// <summary>
/// Links and hashes every record like a real store but keeps only the chain's head: the gateway-side work of the
/// PostgreSQL path (whose records leave the process), without a database on the measured machine.
/// </summary>
internal sealed class ChainOnlyStore : IAuditStore
{
    private readonly Lock _gate = new();
    private long _lastSequence;
    private byte[] _lastHash = AuditChain.GenesisHash.ToArray();

    public long Count => Interlocked.Read(ref _lastSequence);

    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var linked = AuditChain.Link(_lastSequence, _lastHash, entries);
            if (linked.Count > 0)
            {
                _lastHash = linked[^1].Hash;
                Interlocked.Exchange(ref _lastSequence, linked[^1].Sequence);
            }

            return Task.FromResult(linked);
        }
    }

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditRecord>>([]);

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new AuditVerification(true, Count, Count, Convert.ToHexStringLower(_lastHash), null, null));
}
