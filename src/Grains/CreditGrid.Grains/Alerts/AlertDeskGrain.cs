using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Persistence;
using CreditGrid.Grains.Telemetry;
using CreditGrid.Storage.Entries;

namespace CreditGrid.Grains.Alerts;

/// <summary>
/// The province's alert desk. Warnings are rare next to records, so one activation keeps up; the feed is the
/// warnings in feed order, and a warning that changes moves to the end of the feed with a new sequence number.
/// The warnings are persisted one row per warning (<see cref="PersistedEntries{TValue}"/>), written behind every few
/// seconds: the desk holds every warning the province ever raised, and rewriting all of them for each new one grew
/// with the province (at 20,000 subjects one write serialised hundreds of kilobytes every five seconds).
/// </summary>
[GrainType("alert-desk")]
public sealed class AlertDeskGrain(
    IGrainEntryStore entryStore,
    [PersistentState("alerts", CreditStorage.StateStorageName)] IPersistentState<AlertDeskState> wholeState) : Grain, IAlertDeskGrain
{
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(5);
    private readonly SortedList<long, Alert> _feed = [];
    private PersistedEntries<Alert> _warnings = null!;
    private long _lastFeedSequence;
    private IGrainTimer? _timer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _warnings = new PersistedEntries<Alert>(entryStore, "alert-desk", this.GetPrimaryKeyString());
        await _warnings.LoadAsync(cancellationToken);
        await CarryOverWholeStateAsync(cancellationToken);

        foreach (var alert in _warnings.Entries.Values)
        {
            _feed.Add(alert.FeedSequence, alert);
        }

        // Every warning keeps the number it last moved to the end of the feed with, so the newest is the counter.
        _lastFeedSequence = _feed.Count == 0 ? 0 : _feed.Keys[^1];
        _timer = this.RegisterGrainTimer(_warnings.WriteChangesAsync, new GrainTimerCreationOptions(SnapshotInterval, SnapshotInterval) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await _warnings.WriteChangesAsync(cancellationToken);
    }

    public Task PublishAsync(Alert alert)
    {
        if (_warnings.Entries.TryGetValue(alert.WarningId, out var known))
        {
            if (known.Status == alert.Status)
            {
                return Task.CompletedTask;
            }

            _feed.Remove(known.FeedSequence);
        }
        else
        {
            // Counted here, not in the subject: a reactivated subject republishes warnings the desk already has.
            CreditGridMetrics.RecordWarningRaised(alert.Severity);
        }

        var entry = alert with { FeedSequence = ++_lastFeedSequence };
        _warnings.Set(alert.WarningId, entry);
        _feed.Add(entry.FeedSequence, entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Alert>> GetFeedAsync(long afterFeedSequence, int maxCount)
    {
        var result = new List<Alert>();
        var keys = _feed.Keys;
        var start = LowerBound(keys, afterFeedSequence + 1);
        for (var i = start; i < keys.Count && result.Count < maxCount; i++)
        {
            result.Add(_feed.Values[i]);
        }

        return Task.FromResult<IReadOnlyList<Alert>>(result);
    }

    public Task<long> GetLastFeedSequenceAsync() => Task.FromResult(_lastFeedSequence);

    public Task<IReadOnlyList<Alert>> QueryAsync(AlertQuery query) =>
        Task.FromResult<IReadOnlyList<Alert>>(_warnings.Entries.Values
            .Where(a => query.Status is not { } status || a.Status == status)
            .Where(a => query.MinimumSeverity is not { } severity || a.Severity >= severity)
            .Where(a => query.CityCode is null || a.CityCode == query.CityCode)
            .Where(a => query.SubjectId is null || a.SubjectId == query.SubjectId)
            .OrderByDescending(a => a.Severity)
            .ThenByDescending(a => a.RaisedAt)
            .Take(Math.Clamp(query.Limit, 1, 1000))
            .ToList());

    /// <summary>
    /// A desk last written by an earlier version kept every warning in one grain-state record. Its warnings become
    /// entries, written before the record is cleared, so a crash in between leaves both and the next activation
    /// carries over again (an entry already stored is kept: it is at least as new).
    /// </summary>
    private async Task CarryOverWholeStateAsync(CancellationToken cancellationToken)
    {
        if (!wholeState.RecordExists)
        {
            return;
        }

        foreach (var (id, alert) in wholeState.State.Warnings)
        {
            if (!_warnings.Entries.ContainsKey(id))
            {
                _warnings.Set(id, alert);
            }
        }

        await _warnings.WriteChangesAsync(cancellationToken);
        await wholeState.ClearStateAsync(cancellationToken);
    }

    private static int LowerBound(IList<long> keys, long value)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (keys[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
