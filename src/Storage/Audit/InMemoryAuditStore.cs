using System.Buffers.Binary;
using CreditGrid.Storage.InMemory;

namespace CreditGrid.Storage.Audit;

/// <summary>
/// The single-process twin of the PostgreSQL audit log: the same chain, no durability. One lock serialises appends,
/// so the chain is linear by construction.
/// </summary>
/// <remarks>
/// Every record stays for the life of the process, so the store must not become the garbage collector's burden: kept
/// as objects, the half-million records a minute of lookups writes were all promoted through every generation, and
/// the collections that copied them stretched the 99th-percentile lookup latency about threefold. Records are
/// therefore kept as their canonical bytes (<see cref="AuditChain.WriteCanonical"/>) after their hash, packed into
/// large byte segments that hold no references, and decoded only when queried or verified.
/// </remarks>
public sealed class InMemoryAuditStore : IInlineAuditStore, IDisposable
{
    /// <summary>Record offsets per index block: blocks are added, never copied, as the log grows.</summary>
    private const int IndexBlock = 1 << 16;

    private const int HeaderBytes = AuditChain.HashSize + sizeof(int);

    private readonly Lock _gate = new();
    private readonly PackedSegments _segments = new();
    private readonly List<long[]> _index = [];
    private long _count;
    private byte[] _lastHash = AuditChain.GenesisHash.ToArray();

    /// <summary>Records held; for tests and measurements.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return (int)_count;
            }
        }
    }

    public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            var linked = AuditChain.Link(_count, _lastHash, entries);
            foreach (var record in linked)
            {
                Keep(record);
            }

            return Task.FromResult(linked);
        }
    }

    public void Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            var sequence = _count + 1;
            Keep(new AuditRecord(sequence, entry, AuditChain.Hash(_lastHash, sequence, entry)));
        }
    }

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var found = new List<AuditRecord>(Math.Min(query.Limit, 1024));
        lock (_gate)
        {
            // Sequence n sits at position n - 1, so the cursor is a direct jump rather than a scan.
            var segments = _segments.Snapshot();
            for (var position = Math.Clamp(query.After, 0, _count); position < _count && found.Count < query.Limit; position++)
            {
                var record = Read(segments, _index, position);
                if (query.Matches(record))
                {
                    found.Add(record);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<AuditRecord>>(found);
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        long count;
        NativeSegment[] segments;
        long[][] index;
        lock (_gate)
        {
            count = _count;
            segments = _segments.Snapshot();
            index = [.. _index];
        }

        // Segments and index blocks are written only beyond the count taken above, so the records it covers can be
        // read without the lock while appends go on.
        var verifier = new AuditChainVerifier();
        for (var position = 0L; position < count; position++)
        {
            var record = Read(segments, index, position);
            if (!verifier.Accept(record.Sequence, record.Entry, record.Hash))
            {
                break;
            }
        }

        return Task.FromResult(verifier.Result());
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _segments.Dispose();
        }
    }

    private void Keep(AuditRecord record)
    {
        var length = HeaderBytes + AuditChain.CanonicalLength(record.Entry);
        var space = _segments.Reserve(length, out var location);
        record.Hash.CopyTo(space);
        BinaryPrimitives.WriteInt32BigEndian(space[AuditChain.HashSize..], length - HeaderBytes);
        AuditChain.WriteCanonical(space[HeaderBytes..], record.Sequence, record.Entry);

        var position = _count;
        if (position % IndexBlock == 0)
        {
            _index.Add(new long[IndexBlock]);
        }

        _index[(int)(position / IndexBlock)][position % IndexBlock] = location;
        _lastHash = record.Hash;
        _count = position + 1;
    }

    private static AuditRecord Read(IReadOnlyList<NativeSegment> segments, IReadOnlyList<long[]> index, long position)
    {
        var location = index[(int)(position / IndexBlock)][position % IndexBlock];
        var header = PackedSegments.Read(segments, location, HeaderBytes);
        var hash = header[..AuditChain.HashSize].ToArray();
        var length = BinaryPrimitives.ReadInt32BigEndian(header[AuditChain.HashSize..]);
        var (sequence, entry) = AuditChain.ReadCanonical(PackedSegments.Read(segments, location + HeaderBytes, length));
        return new AuditRecord(sequence, entry, hash);
    }
}
