using CreditGrid.Domain.Events;

namespace CreditGrid.Storage.InMemory;

/// <summary>
/// The single-process twin of the PostgreSQL credit-event log: same contract, same partitioning and
/// idempotency, no durability. One lock serialises appends, which also makes positions visible in order. An append
/// wakes the readers of the partitions it added to (<see cref="CreditLogWakeups"/>).
/// </summary>
public sealed class InMemoryCreditEventLog(ICreditLogPartitioner partitioner, CreditLogWakeups? wakeups = null) : ICreditEventLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Department, string RecordId), (string SubjectId, long Sequence)> _keys = [];
    private readonly Dictionary<string, List<LoggedCreditEvent>> _subjects = new(StringComparer.Ordinal);
    private readonly List<PartitionEntry>[] _partitions = CreatePartitions(partitioner.PartitionCount);

    public int PartitionCount => partitioner.PartitionCount;

    /// <summary>Total records held; for the demo feed and tests.</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    public Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<CreditEvent> events, CancellationToken cancellationToken = default)
    {
        var outcomes = new AppendOutcome[events.Count];
        var appendedTo = wakeups is null ? null : new HashSet<int>();
        lock (_gate)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var key = (e.SourceDepartment, e.RecordId);
                if (_keys.TryGetValue(key, out var existing))
                {
                    outcomes[i] = new AppendOutcome(AppendStatus.Duplicate, existing.Sequence);
                    continue;
                }

                if (!_subjects.TryGetValue(e.SubjectId, out var history))
                {
                    history = [];
                    _subjects.Add(e.SubjectId, history);
                }

                var logged = new LoggedCreditEvent(history.Count + 1, e);
                history.Add(logged);
                _keys.Add(key, (e.SubjectId, logged.SubjectSequence));
                var partition = partitioner.PartitionOf(e.SubjectType, e.SubjectId);
                var entries = _partitions[partition];
                entries.Add(new PartitionEntry(partition, entries.Count + 1, logged));
                appendedTo?.Add(partition);
                outcomes[i] = new AppendOutcome(AppendStatus.Accepted, logged.SubjectSequence);
            }
        }

        foreach (var partition in appendedTo ?? [])
        {
            wakeups!.Appended(partition);
        }

        return Task.FromResult<IReadOnlyList<AppendOutcome>>(outcomes);
    }

    public Task<IReadOnlyList<LoggedCreditEvent>> ReadSubjectAsync(string subjectId, long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subjectId, out var history) || afterSequence >= history.Count)
            {
                return Task.FromResult<IReadOnlyList<LoggedCreditEvent>>([]);
            }

            var start = (int)Math.Max(0, afterSequence);
            var count = Math.Min(maxCount, history.Count - start);
            return Task.FromResult<IReadOnlyList<LoggedCreditEvent>>(history.GetRange(start, count));
        }
    }

    /// <summary>Every append here wakes its partition's readers, so there is nothing to ask for: only the last position.</summary>
    public Task<long> RequestWakeUpAsync(int partition, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_partitions[partition].Count);
        }
    }

    public Task<IReadOnlyList<PartitionEntry>> ReadPartitionAsync(int partition, long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entries = _partitions[partition];
            if (afterPosition >= entries.Count)
            {
                return Task.FromResult<IReadOnlyList<PartitionEntry>>([]);
            }

            var start = (int)Math.Max(0, afterPosition);
            var count = Math.Min(maxCount, entries.Count - start);
            return Task.FromResult<IReadOnlyList<PartitionEntry>>(entries.GetRange(start, count));
        }
    }

    private static List<PartitionEntry>[] CreatePartitions(int count)
    {
        var partitions = new List<PartitionEntry>[count];
        for (var i = 0; i < count; i++)
        {
            partitions[i] = [];
        }

        return partitions;
    }
}
