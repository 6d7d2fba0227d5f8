using CreditGrid.Domain.Events;
using CreditGrid.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace CreditGrid.Grains.Streaming;

/// <summary>
/// Reads one partition of the credit-event log as an Orleans queue. The checkpoint advances only over the
/// contiguous prefix of positions reported delivered, so a crash replays from the first undelivered event and
/// never skips one; the subject grains skip what they have already applied.
/// </summary>
internal sealed partial class CreditLogQueueReceiver(
    int partition,
    string providerName,
    int readBatchSize,
    TimeSpan checkpointInterval,
    IdlePollBackoff backoff,
    CreditLogWakeups wakeups,
    ICreditEventLog log,
    ICreditLogCheckpointStore checkpoints,
    TimeProvider time,
    ILogger logger) : IQueueAdapterReceiver
{
    private readonly SortedSet<long> _deliveredAhead = [];
    private long _readPosition;
    private long _checkpoint;
    private long _savedCheckpoint;
    private long _lastSaveTimestamp;
    private IDisposable? _wakeupRegistration;

    /// <summary>Whether the log has been asked to announce the next append since the partition last had events.</summary>
    private bool _wakeUpRequested;

    public async Task Initialize(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        _checkpoint = await checkpoints.LoadAsync(providerName, partition, cts.Token);
        _savedCheckpoint = _checkpoint;
        _readPosition = _checkpoint;
        _lastSaveTimestamp = time.GetTimestamp();
        _wakeupRegistration = wakeups.Register(partition, backoff.Wake);
        LogStarted(partition, _checkpoint);
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        if (!backoff.IsDue())
        {
            return [];
        }

        var count = maxCount > 0 ? Math.Min(maxCount, readBatchSize) : readBatchSize;
        var entries = await log.ReadPartitionAsync(partition, _readPosition, count);
        if (entries.Count == 0)
        {
            backoff.FoundNothing();
            if (backoff.Waiting && !_wakeUpRequested)
            {
                await RequestWakeUpAsync();
            }

            // An idle queue still owes its last checkpoint: without this the tail would be replayed after a restart.
            await SaveCheckpointAsync(force: true);
            return [];
        }

        backoff.FoundEvents();
        _wakeUpRequested = false;
        _readPosition = entries[^1].Position;
        return GroupBySubject(entries);
    }

    /// <summary>
    /// The partition has gone quiet and its reads are being spaced out: ask the log to announce its next append. Only
    /// now, because an announcement costs the appender (see V011), and a partition with an awake reader needs none.
    /// Records committed between the last empty read and the request are past the read position, so they are read at
    /// the next poll. A failed request is made again at the next empty read.
    /// </summary>
    private async Task RequestWakeUpAsync()
    {
        var last = await log.RequestWakeUpAsync(partition);
        _wakeUpRequested = true;
        if (last > _readPosition)
        {
            backoff.Wake();
        }
    }

    /// <summary>
    /// One container per subject: a bulk load delivers a subject's whole run in one grain call instead of one call
    /// per event. Containers are ordered by their last position so the cache sees tokens in log order.
    /// </summary>
    private static IList<IBatchContainer> GroupBySubject(IReadOnlyList<PartitionEntry> entries)
    {
        var bySubject = new Dictionary<string, (List<LoggedCreditEvent> Events, List<long> Positions)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var subject = entry.Logged.Event.SubjectId;
            if (!bySubject.TryGetValue(subject, out var group))
            {
                group = ([], []);
                bySubject.Add(subject, group);
            }

            group.Events.Add(entry.Logged);
            group.Positions.Add(entry.Position);
        }

        return bySubject.Values
            .OrderBy(g => g.Positions[^1])
            .Select(g =>
            {
                var first = g.Events[0].Event;
                var streamId = StreamId.Create(CreditStreams.NamespaceFor(first.SubjectType), first.SubjectId);
                return (IBatchContainer)new CreditLogBatchContainer(streamId, g.Events, g.Positions);
            })
            .ToList();
    }

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        foreach (var message in messages)
        {
            if (message is CreditLogBatchContainer container)
            {
                foreach (var position in container.Positions)
                {
                    if (position > _checkpoint)
                    {
                        _deliveredAhead.Add(position);
                    }
                }
            }
        }

        while (_deliveredAhead.Count > 0 && _deliveredAhead.Min == _checkpoint + 1)
        {
            _checkpoint++;
            _deliveredAhead.Remove(_checkpoint);
        }

        await SaveCheckpointAsync(force: false);
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        _wakeupRegistration?.Dispose();
        await SaveCheckpointAsync(force: true);
        LogStopped(partition, _checkpoint);
    }

    private async Task SaveCheckpointAsync(bool force)
    {
        if (_checkpoint == _savedCheckpoint || (!force && time.GetElapsedTime(_lastSaveTimestamp) < checkpointInterval))
        {
            return;
        }

        await checkpoints.SaveAsync(providerName, partition, _checkpoint);
        _savedCheckpoint = _checkpoint;
        _lastSaveTimestamp = time.GetTimestamp();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credit-log partition {Partition} reading after position {Checkpoint}")]
    private partial void LogStarted(int partition, long checkpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Credit-log partition {Partition} stopped at checkpoint {Checkpoint}")]
    private partial void LogStopped(int partition, long checkpoint);
}
