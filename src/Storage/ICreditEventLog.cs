using CreditGrid.Domain.Events;

namespace CreditGrid.Storage;

/// <summary>
/// The credit-event log: the system of record for accepted credit records (在库数据). Appends are atomic per call
/// and idempotent on (SourceDepartment, RecordId); each new record gets the next dense sequence number of its
/// subject and the next position of its partition. Partitions are the queues of the log-backed stream.
/// </summary>
public interface ICreditEventLog
{
    /// <summary>Number of partitions; fixed for the life of a log (changing it re-partitions every subject).</summary>
    int PartitionCount { get; }

    /// <summary>
    /// Appends the records in one transaction and returns one outcome per input, in input order. When it returns,
    /// every <see cref="AppendStatus.Accepted"/> record is durable.
    /// </summary>
    Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<CreditEvent> events, CancellationToken cancellationToken = default);

    /// <summary>A subject's records with sequence greater than <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<IReadOnlyList<LoggedCreditEvent>> ReadSubjectAsync(string subjectId, long afterSequence, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// A partition's records with position greater than <paramref name="afterPosition"/>, in position order, never past
    /// a position not yet visible (so a reader that checkpoints the last position it saw never skips one).
    /// </summary>
    Task<IReadOnlyList<PartitionEntry>> ReadPartitionAsync(int partition, long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// A reader that is about to space out its reads of a quiet partition asks to be woken by the partition's next
    /// append (<see cref="CreditLogWakeups"/>). Returns the partition's last position at that moment: when it is past
    /// what the reader has read, records arrived meanwhile and the reader should read again at once; every later append
    /// wakes it.
    /// </summary>
    Task<long> RequestWakeUpAsync(int partition, CancellationToken cancellationToken = default);
}

/// <param name="Position">1-based, dense within the partition.</param>
public sealed record PartitionEntry(int Partition, long Position, LoggedCreditEvent Logged);

/// <param name="SubjectSequence">The sequence the record has in the log (the existing one for a duplicate).</param>
public sealed record AppendOutcome(AppendStatus Status, long SubjectSequence);

public enum AppendStatus
{
    Accepted,
    Duplicate,
}

/// <summary>Maps a subject to its log partition; the log-backed stream reads partition i as queue i.</summary>
public interface ICreditLogPartitioner
{
    int PartitionCount { get; }

    int PartitionOf(SubjectType subjectType, string subjectId);
}

/// <summary>Where each partition's stream reader has delivered up to; saves never move a checkpoint backwards.</summary>
public interface ICreditLogCheckpointStore
{
    Task<long> LoadAsync(string streamProvider, int partition, CancellationToken cancellationToken = default);

    Task SaveAsync(string streamProvider, int partition, long position, CancellationToken cancellationToken = default);
}
