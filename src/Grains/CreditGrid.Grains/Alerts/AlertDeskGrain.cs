using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Telemetry;

namespace CreditGrid.Grains.Alerts;

/// <summary>
/// The province's alert desk. Warnings are rare next to records, so one activation keeps up; the feed is the
/// warnings in feed order, and a warning that changes moves to the end of the feed with a new sequence number.
/// </summary>
[GrainType("alert-desk")]
public sealed class AlertDeskGrain(
    [PersistentState("alerts", CreditStorage.StateStorageName)] IPersistentState<AlertDeskState> state) : Grain, IAlertDeskGrain
{
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(5);
    private readonly SortedList<long, Alert> _feed = [];
    private bool _dirty;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var alert in state.State.Warnings.Values)
        {
            _feed.Add(alert.FeedSequence, alert);
        }

        _timer = this.RegisterGrainTimer(WriteIfDirtyAsync, new GrainTimerCreationOptions(SnapshotInterval, SnapshotInterval) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await WriteIfDirtyAsync(cancellationToken);
    }

    public Task PublishAsync(Alert alert)
    {
        var warnings = state.State.Warnings;
        if (warnings.TryGetValue(alert.WarningId, out var known))
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

        var entry = alert with { FeedSequence = ++state.State.LastFeedSequence };
        warnings[alert.WarningId] = entry;
        _feed.Add(entry.FeedSequence, entry);
        _dirty = true;
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

    public Task<long> GetLastFeedSequenceAsync() => Task.FromResult(state.State.LastFeedSequence);

    public Task<IReadOnlyList<Alert>> QueryAsync(AlertQuery query) =>
        Task.FromResult<IReadOnlyList<Alert>>(state.State.Warnings.Values
            .Where(a => query.Status is not { } status || a.Status == status)
            .Where(a => query.MinimumSeverity is not { } severity || a.Severity >= severity)
            .Where(a => query.CityCode is null || a.CityCode == query.CityCode)
            .Where(a => query.SubjectId is null || a.SubjectId == query.SubjectId)
            .OrderByDescending(a => a.Severity)
            .ThenByDescending(a => a.RaisedAt)
            .Take(Math.Clamp(query.Limit, 1, 1000))
            .ToList());

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

    private async Task WriteIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        await state.WriteStateAsync(cancellationToken);
    }
}
