using CreditGrid.Grains;
using CreditGrid.Grains.Time;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Reference;
using CreditGrid.Grains.Persistence;
using CreditGrid.Grains.Rules;
using CreditGrid.Storage.Entries;
using CreditGrid.Grains.Subjects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.Cities;

/// <summary>
/// A city's live credit aggregates. Reports replace the subject's previous summary, so re-reports after a
/// replay or redelivery never double-count. The unit a subject is registered in also keeps when time alone will
/// next change that subject, and wakes it then: one timer and one reminder per unit instead of one per subject.
/// The summaries are persisted one row per subject (<see cref="PersistedEntries{TValue}"/>), written behind every
/// few seconds: a unit holds every subject of its territory, and rewriting all of them for each change grew with the
/// province.
/// </summary>
[GrainType("city")]
public sealed partial class CityGrain(
    IGrainEntryStore entryStore,
    ActiveRules rules,
    GridClock time,
    IOptions<CityTimeOptions> timeOptions,
    ILogger<CityGrain> logger) : Grain, ICityGrain, IRemindable
{
    private const string SweepReminder = "time-sweep";
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(5);

    /// <summary>A grain timer cannot be armed further ahead than this; the reminder covers longer gaps.</summary>
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private readonly CityAggregate _aggregate = new();
    private readonly DueSchedule _schedule = new();
    private Division _division = null!;
    private PersistedEntries<SubjectSummary> _summaries = null!;
    private bool _reminderRegistered;
    private IGrainTimer? _snapshotTimer;
    private IGrainTimer? _sweepTimer;
    private DateTimeOffset? _sweepTimerAt;
    private ReevaluationProgress? _reevaluation;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _division = AdministrativeDivisions.Find(this.GetPrimaryKeyString())
            ?? throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a Shaanxi division code.");
        _summaries = new PersistedEntries<SubjectSummary>(entryStore, "city", _division.Code);
        await _summaries.LoadAsync(cancellationToken);
        foreach (var summary in _summaries.Entries.Values)
        {
            _aggregate.Add(summary);
            if (IsRegisteredHere(summary.SubjectId))
            {
                _schedule.Set(summary.SubjectId, summary.NextChange);
            }
        }

        _snapshotTimer = this.RegisterGrainTimer(_summaries.WriteChangesAsync, new GrainTimerCreationOptions(SnapshotInterval, SnapshotInterval) { Interleave = false });
        ArmSweepTimer();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _snapshotTimer?.Dispose();
        _sweepTimer?.Dispose();
        await _summaries.WriteChangesAsync(cancellationToken);
    }

    public async Task ReportManyAsync(IReadOnlyList<SubjectSummary> summaries)
    {
        var rescheduled = false;
        foreach (var summary in summaries)
        {
            rescheduled |= Apply(summary);
        }

        if (rescheduled)
        {
            ArmSweepTimer();
            await EnsureReminderAsync();
        }
    }

    /// <summary>Counts the subject's latest summary; true when that moved its time-driven change in this unit's schedule.</summary>
    private bool Apply(SubjectSummary summary)
    {
        if (_summaries.Entries.TryGetValue(summary.SubjectId, out var previous))
        {
            if (previous == summary)
            {
                return false;
            }

            _aggregate.Remove(previous);
        }

        _summaries.Set(summary.SubjectId, summary);
        _aggregate.Add(summary);
        return IsRegisteredHere(summary.SubjectId) && _schedule.Set(summary.SubjectId, summary.NextChange);
    }

    public Task<CityView> GetViewAsync() => Task.FromResult(new CityView(
        _division.Code,
        _division.Name,
        _division.Level,
        _division.ParentCode,
        _aggregate.Count,
        _aggregate.Count - _aggregate.GovernmentBodies,
        _aggregate.GovernmentBodies,
        _aggregate.ByTier(),
        _aggregate.AverageScore,
        _aggregate.SeriouslyDishonestShare,
        time.GetUtcNow()));

    public async Task<int> SweepAsync()
    {
        var now = time.GetUtcNow();
        var due = _schedule.TakeDue(now);
        if (due.Count > 0)
        {
            var failed = await WakeAllAsync(due, timeOptions.Value.SweepConcurrency);
            foreach (var subject in failed)
            {
                // Retried on the next sweep; the subject still changes on its next touch in any case.
                _schedule.Set(subject, now + TimeSpan.FromMinutes(1));
            }

            LogSwept(_division.Code, due.Count, failed.Count);
        }

        ArmSweepTimer();
        return due.Count;
    }

    public Task ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status) =>
        reminderName == SweepReminder ? SweepAsync() : Task.CompletedTask;

    public Task<ReevaluationProgress> StartReevaluationAsync()
    {
        if (_reevaluation is { FinishedAt: null } running)
        {
            return Task.FromResult(running);
        }

        var subjects = _summaries.Entries.Values.ToList();
        _reevaluation = new ReevaluationProgress(_division.Code, rules.Version, subjects.Count, 0, 0, time.GetUtcNow(), null);
        _ = ReevaluateAsync(subjects);
        return Task.FromResult(_reevaluation);
    }

    public Task<ReevaluationProgress?> GetReevaluationAsync() => Task.FromResult(_reevaluation);

    /// <summary>
    /// Runs on this activation's scheduler between other calls, so reports and reads keep flowing while thousands of
    /// subjects are re-evaluated; the activation stays alive until it finishes.
    /// </summary>
    private async Task ReevaluateAsync(List<SubjectSummary> subjects)
    {
        const int chunk = 256;
        try
        {
            for (var i = 0; i < subjects.Count; i += chunk)
            {
                DelayDeactivation(TimeSpan.FromMinutes(5));
                var ids = subjects.Skip(i).Take(chunk).Select(s => s.SubjectId).ToList();
                var failed = await WakeAllAsync(ids, timeOptions.Value.SweepConcurrency);
                _reevaluation = _reevaluation! with { Done = _reevaluation.Done + ids.Count - failed.Count, Failed = _reevaluation.Failed + failed.Count };
            }
        }
        finally
        {
            _reevaluation = _reevaluation! with { FinishedAt = time.GetUtcNow() };
            LogReevaluated(_division.Code, _reevaluation.RulesVersion, _reevaluation.Done, _reevaluation.Failed);
        }
    }

    /// <summary>Asks each subject to catch up (time and rules version), at most <paramref name="concurrency"/> at once.</summary>
    private async Task<List<string>> WakeAllAsync(IReadOnlyList<string> subjects, int concurrency)
    {
        var failed = new List<string>();
        for (var i = 0; i < subjects.Count; i += concurrency)
        {
            var wave = subjects.Skip(i).Take(concurrency).ToArray();
            var calls = wave.Select(Wake).ToArray();
            try
            {
                await Task.WhenAll(calls);
            }
            catch
            {
                // Inspected per call below.
            }

            for (var j = 0; j < wave.Length; j++)
            {
                if (!calls[j].IsCompletedSuccessfully)
                {
                    failed.Add(wave[j]);
                }
            }
        }

        return failed;
    }

    private Task<long> Wake(string subjectId)
    {
        ISubjectGrain grain = _summaries.Entries.TryGetValue(subjectId, out var s) && s.SubjectType == SubjectType.GovernmentBody
            ? GrainFactory.Reference<IGovernmentBodyGrain>(subjectId)
            : GrainFactory.Reference<IEnterpriseGrain>(subjectId);
        return grain.CatchUpAsync();
    }

    /// <summary>Only the unit named in a subject's code schedules it, so a county and its city never both wake it.</summary>
    private bool IsRegisteredHere(string subjectId) =>
        subjectId.Length == 18 && subjectId.AsSpan(2, 6).SequenceEqual(_division.Code);

    private void ArmSweepTimer()
    {
        if (_schedule.Earliest() is not { } earliest)
        {
            return;
        }

        var now = time.GetUtcNow();
        var at = earliest <= now ? now : earliest;
        if (_sweepTimerAt is { } armed && armed <= at && _sweepTimer is not null)
        {
            return;
        }

        _sweepTimer?.Dispose();
        var delay = at - now;
        _sweepTimer = this.RegisterGrainTimer(
            SweepFromTimerAsync,
            new GrainTimerCreationOptions(delay > LongestTimer ? LongestTimer : delay, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = false });
        _sweepTimerAt = at;
    }

    private async Task SweepFromTimerAsync(CancellationToken cancellationToken)
    {
        var fired = _sweepTimer;
        _sweepTimer = null;
        _sweepTimerAt = null;
        fired?.Dispose();
        await SweepAsync();
    }

    private async Task EnsureReminderAsync()
    {
        if (_reminderRegistered)
        {
            return;
        }

        var period = timeOptions.Value.SweepInterval;
        await this.RegisterOrUpdateReminder(SweepReminder, period, period);
        _reminderRegistered = true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unit {Code} woke {Count} subjects for time-driven changes ({Failed} failed)")]
    private partial void LogSwept(string code, int count, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {Code} re-evaluated under rules {Version}: {Done} subjects, {Failed} failed")]
    private partial void LogReevaluated(string code, string version, int done, int failed);
}
