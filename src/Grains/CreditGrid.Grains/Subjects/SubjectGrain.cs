using CreditGrid.Domain.PreCredit;
using CreditGrid.Grains;
using CreditGrid.Grains.Time;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Alerts;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Directory;
using CreditGrid.Grains.Rules;
using CreditGrid.Grains.Telemetry;
using CreditGrid.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace CreditGrid.Grains.Subjects;

/// <summary>
/// Folds one subject's credit events, delivered by the log-backed stream, into its live evaluation. The log is
/// the truth: an event at or below the last applied sequence is skipped, a gap is filled from the log, and the
/// snapshot is written behind because a subject replays whatever it missed before it is first read.
/// </summary>
/// <remarks>
/// Activation does not replay the log. Most activations are made by the stream itself, whose first delivery is either
/// the event after the snapshot (applied as it comes) or a gap (filled from the log then), so a replay at activation
/// would read from PostgreSQL exactly the events the delivery already carries. Reads, warning actions and pre-credit
/// features replay first unless the stream has already brought the subject up to date.
/// </remarks>
public abstract partial class SubjectGrain(
    IPersistentState<SubjectSnapshot> snapshot,
    ICreditEventLog log,
    ActiveRules rules,
    CityRollup rollup,
    GridClock time,
    SubjectDocumentBoard board,
    IOptions<SubjectGrainOptions> options,
    ILogger logger) : Grain, ISubjectGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<LoggedCreditEvent>
{
    private SubjectEvaluation _evaluation = null!;
    private SubjectView? _view;
    private SubjectEvaluation? _viewOf;

    /// <summary>The read API's JSON of <see cref="_view"/>, rendered on the first lookup after the view changed.</summary>
    private SubjectDocument? _document;

    private DateTimeOffset? _scheduledChange;
    private SubjectEvaluation? _scheduledChangeOf;
    private string? _divisionCode;
    private SubjectType _subjectType;
    private SubjectSummary? _reported;
    private string? _subjectName;
    private string? _reportedName;
    private CreditGrade? _countedGrade;
    private readonly Dictionary<string, WarningStatus> _publishedWarnings = new(StringComparer.Ordinal);
    private bool _dirty;
    private bool _snapshotDue;

    /// <summary>Events folded since the last snapshot written.</summary>
    private int _unsnapshottedEvents;

    private IGrainTimer? _snapshotTimer;

    /// <summary>Whether this activation has replayed the log or taken a delivery from the stream.</summary>
    private bool _current;

    /// <summary>The lookup document on the silo's <see cref="SubjectDocumentBoard"/>, if posted since the last change.</summary>
    private SubjectDocument? _postedDocument;

    /// <summary>The pre-credit features on the silo's <see cref="SubjectDocumentBoard"/>, if posted since the last change.</summary>
    private PreCreditFeatures? _postedFeatures;

    private bool _governmentBody;

    protected string SubjectId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The key never changes, so what the code says about the subject is read once per activation.
        var code = Uscc.Validate(SubjectId);
        _divisionCode = code.DivisionCode;
        _subjectType = code.SubjectType ?? SubjectType.Other;
        _governmentBody = this is IGovernmentBodyGrain;

        // Only the current activation may have a posting: clear one an earlier activation in this silo left behind if
        // its deactivation never ran, which this activation would otherwise never withdraw.
        board.Withdraw(SubjectId, _governmentBody);
        _evaluation = snapshot.State.Evaluation ?? rules.Evaluator.Initial(SubjectId, time.GetUtcNow());
        _subjectName = snapshot.State.SubjectName;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _snapshotTimer?.Dispose();
        TakeDownPosting();
        CreditGridMetrics.MoveGrade(_countedGrade, null);
        _countedGrade = null;
        await WriteSnapshotIfDirtyAsync(cancellationToken);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<LoggedCreditEvent>().ResumeAsync(this);

    /// <summary>
    /// Folds one delivery: the subject's events from one read of its log partition, in sequence order. The subject
    /// reports its summary, name and warnings once per delivery, not once per event.
    /// </summary>
    public async Task OnNextAsync(IList<SequentialItem<LoggedCreditEvent>> items)
    {
        foreach (var item in items)
        {
            var logged = item.Item;
            var last = _evaluation.LastAppliedSequence;
            if (logged.SubjectSequence <= last)
            {
                continue;
            }

            if (logged.SubjectSequence == last + 1)
            {
                Apply(logged);
            }
            else
            {
                // A redelivery from an older checkpoint or a concurrent commit can arrive ahead of its predecessors.
                // The log is read to its end, so the rest of this delivery is then skipped as applied.
                LogGapFilled(SubjectId, last, logged.SubjectSequence);
                await CatchUpFromLogAsync(CancellationToken.None);
            }
        }

        _current = true;
        AfterChange();
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, SubjectId);
        return Task.CompletedTask;
    }

    public Task<SubjectView?> GetViewAsync()
    {
        if (!_current)
        {
            return CatchUpThenAsync(GetViewAsync);
        }

        return Task.FromResult(PrepareRead() ? CurrentView() : null);
    }

    public ValueTask<SubjectDocument?> GetViewDocumentAsync()
    {
        if (!_current)
        {
            return new(CatchUpThenAsync(() => GetViewDocumentAsync().AsTask()));
        }

        if (!PrepareRead())
        {
            return new((SubjectDocument?)null);
        }

        var document = CurrentDocument();
        if (_postedDocument is null)
        {
            Post(document, _postedFeatures);
        }

        return new(document);
    }

    public Task<EvaluationExplanation?> GetExplanationAsync()
    {
        if (!_current)
        {
            return CatchUpThenAsync(GetExplanationAsync);
        }

        return Task.FromResult(PrepareRead() ? rules.Evaluator.Explain(_evaluation) : null);
    }

    public async Task<WarningActionOutcome> ApplyWarningActionAsync(string warningId, WarningAction action)
    {
        if (!_current)
        {
            await CatchUpFromLogAsync(CancellationToken.None);
            AfterChange();
        }

        var result = rules.Evaluator.ApplyWarningAction(_evaluation, warningId, action, time.GetUtcNow());
        if (!result.Succeeded)
        {
            return new WarningActionOutcome(null, result.Error);
        }

        // The log cannot replay what a supervisor did to a warning, so the action is stored before it is acknowledged.
        // A write that fails leaves the warning as it was, and the caller gets the storage error (503, retry).
        var before = _evaluation;
        _evaluation = result.State;
        MarkDirty();
        try
        {
            await WriteSnapshotAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            _evaluation = before;
            if (ex is InconsistentStateException)
            {
                StepAside(ex);
            }

            throw;
        }

        AfterChange();
        return new WarningActionOutcome(_evaluation.Warnings.First(w => w.Id == warningId), null);
    }

    public async Task<long> CatchUpAsync()
    {
        await CatchUpFromLogAsync(CancellationToken.None);
        AfterChange();
        return _evaluation.LastAppliedSequence;
    }

    private async Task<T> CatchUpThenAsync<T>(Func<Task<T>> answer)
    {
        await CatchUpFromLogAsync(CancellationToken.None);
        AfterChange();
        return await answer();
    }

    private async Task CatchUpFromLogAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.CatchUpBatchSize;
        while (true)
        {
            var missing = await log.ReadSubjectAsync(SubjectId, _evaluation.LastAppliedSequence, batchSize, cancellationToken);
            foreach (var logged in missing)
            {
                Apply(logged);
            }

            if (missing.Count < batchSize)
            {
                break;
            }
        }

        _current = true;
        _ = RefreshForTime();
    }

    private void Apply(LoggedCreditEvent logged)
    {
        var before = _evaluation.LastAppliedSequence;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _evaluation = rules.Evaluator.Evolve(_evaluation, logged, time.GetUtcNow());
        CreditGridMetrics.RecordFold(started);
        _subjectName = logged.Event.SubjectName ?? _subjectName;
        if (_evaluation.LastAppliedSequence != before)
        {
            MarkDirty();
            if (++_unsnapshottedEvents >= options.Value.SnapshotEvery)
            {
                ScheduleSnapshot();
            }
        }
    }

    /// <summary>
    /// Effects that end or decay with time are applied when the grain is touched after their moment (or woken by its
    /// unit's sweep), and a subject still on an older rules version moves to the active one.
    /// </summary>
    /// <returns>Whether the evaluation changed.</returns>
    private bool RefreshForTime()
    {
        var now = time.GetUtcNow();
        var evaluator = rules.Evaluator;
        if (_evaluation.RulesVersion == evaluator.Rules.Version
            && (NextScheduledChange() is not { } due || due > now))
        {
            return false;
        }

        _evaluation = evaluator.Reevaluate(_evaluation, now);
        MarkDirty();
        return true;
    }

    /// <summary>
    /// When time alone next changes the current evaluation. A pure function of the evaluation, which is replaced on
    /// every change, so it is computed once per change instead of on every read (it scans the subject's records).
    /// </summary>
    private DateTimeOffset? NextScheduledChange()
    {
        if (!ReferenceEquals(_scheduledChangeOf, _evaluation))
        {
            _scheduledChange = rules.Evaluator.NextScheduledChange(_evaluation);
            _scheduledChangeOf = _evaluation;
        }

        return _scheduledChange;
    }

    /// <summary>
    /// Notes that the state differs from the snapshot. Whatever the log can replay (folded events, time passing, a
    /// rules version) is written when it has grown to <see cref="SubjectGrainOptions.SnapshotEvery"/> events or when
    /// the subject deactivates; until then a crash costs a replay of those few records, not a state write per burst.
    /// </summary>
    private void MarkDirty()
    {
        _dirty = true;
        TakeDownPosting();
    }

    /// <summary>
    /// Puts what reads of the current evaluation are answered with on the board, to be served until the evaluation
    /// changes, the rules move on or time next changes it. Called from inside a read's turn, after time and rules
    /// were brought up to date.
    /// </summary>
    private void Post(SubjectDocument? document, PreCreditFeatures? features)
    {
        if (board.Post(SubjectId, _governmentBody, document, features, _evaluation.RulesVersion, NextScheduledChange()))
        {
            (_postedDocument, _postedFeatures) = (document, features);
        }
    }

    /// <summary>
    /// Withdraws this subject's posting from the board: called in the turn that changes the evaluation, before any
    /// await, so the board never serves a document older than one the grain has already answered with.
    /// </summary>
    private void TakeDownPosting()
    {
        if (_postedDocument is not null || _postedFeatures is not null)
        {
            board.Withdraw(SubjectId, _governmentBody);
            (_postedDocument, _postedFeatures) = (null, null);
        }
    }

    /// <summary>
    /// Schedules one snapshot write <see cref="SubjectGrainOptions.SnapshotInterval"/> from now unless one is already
    /// due. A timer runs only while there is something to write: a periodic timer per subject would tick for every
    /// idle one of the hundreds of thousands of activations a silo holds.
    /// </summary>
    private void ScheduleSnapshot()
    {
        if (_snapshotDue)
        {
            return;
        }

        _snapshotDue = true;
        var interval = options.Value.SnapshotInterval;
        if (_snapshotTimer is null)
        {
            _snapshotTimer = this.RegisterGrainTimer(WriteDueSnapshotAsync, new GrainTimerCreationOptions(interval, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = false });
        }
        else
        {
            _snapshotTimer.Change(interval, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task WriteDueSnapshotAsync(CancellationToken cancellationToken)
    {
        _snapshotDue = false;
        await WriteSnapshotIfDirtyAsync(cancellationToken);
        if (_dirty)
        {
            // The write failed: try again after another interval.
            ScheduleSnapshot();
        }
    }

    private void AfterChange()
    {
        if (_evaluation.LastAppliedSequence == 0)
        {
            return;
        }

        var summary = new SubjectSummary(
            SubjectId, _subjectType, _evaluation.Tier, _evaluation.Score, _evaluation.SeriouslyDishonest, NextScheduledChange());
        if (summary != _reported)
        {
            rollup.Report(_divisionCode, summary);
            _reported = summary;
        }

        if (_subjectName is { } name && name != _reportedName)
        {
            var shard = NameDirectoryShards.For(rollup.CityLevelCodeOf(_divisionCode));
            _ = GrainFactory.Reference<ISubjectNameDirectoryGrain>(shard).RegisterAsync(new NameDirectoryEntry(SubjectId, name, _subjectType, _divisionCode));
            _reportedName = name;
        }

        if (_evaluation.Grade != _countedGrade)
        {
            CreditGridMetrics.MoveGrade(_countedGrade, _evaluation.Grade);
            _countedGrade = _evaluation.Grade;
        }

        PublishChangedWarnings();
    }

    /// <summary>
    /// Every warning raised or moved since the last publication goes to the alert desk. After a reactivation the
    /// current warnings are sent again; the desk ignores a warning whose status it already has.
    /// </summary>
    private void PublishChangedWarnings()
    {
        foreach (var warning in _evaluation.Warnings)
        {
            if (_publishedWarnings.TryGetValue(warning.Id, out var status) && status == warning.Status)
            {
                continue;
            }

            _publishedWarnings[warning.Id] = warning.Status;
            _ = GrainFactory.Reference<IAlertDeskGrain>(IAlertDeskGrain.ProvinceKey).PublishAsync(new Alert(
                warning.Id,
                SubjectId,
                rollup.CityLevelCodeOf(_divisionCode),
                warning.RuleId,
                warning.Severity,
                warning.Status,
                warning.Reason,
                warning.RaisedAt,
                warning.StatusChangedAt,
                warning.RecordId));
        }
    }

    private async Task WriteSnapshotIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            await WriteSnapshotAsync(cancellationToken);
        }
        catch (InconsistentStateException ex)
        {
            StepAside(ex);
        }
        catch (Exception ex)
        {
            // A failed snapshot is retried an interval later; the log still holds every folded event.
            LogSnapshotFailed(ex, SubjectId);
        }
    }

    /// <summary>Writes the current state; a write that fails leaves the subject dirty and throws.</summary>
    private async Task WriteSnapshotAsync(CancellationToken cancellationToken)
    {
        snapshot.State.Evaluation = _evaluation;
        snapshot.State.SubjectName = _subjectName;
        _dirty = false;
        var unsnapshotted = _unsnapshottedEvents;
        _unsnapshottedEvents = 0;
        try
        {
            await snapshot.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not InconsistentStateException)
        {
            _dirty = true;
            _unsnapshottedEvents += unsnapshotted;
            throw;
        }
    }

    /// <summary>
    /// The stored snapshot changed since this activation read it (another activation of the subject wrote it, as can
    /// happen around a silo's failure): no write of this one can match its version again, and retrying would fail
    /// forever. It steps aside; the next activation reads the newer snapshot and replays the log after it, so no folded
    /// event is lost.
    /// </summary>
    private void StepAside(Exception conflict)
    {
        LogSnapshotConflict(conflict, SubjectId);
        DeactivateOnIdle();
    }


    /// <summary>
    /// The view of the current evaluation, built once per change: a subject is read far more often than it changes.
    /// The evaluation and the name are immutable values replaced on every change, so comparing references is enough.
    /// </summary>
    private SubjectView CurrentView()
    {
        if (_view is not { } view || !ReferenceEquals(_viewOf, _evaluation) || !ReferenceEquals(view.SubjectName, _subjectName))
        {
            view = _view = ToView(_evaluation);
            _document = null;
            TakeDownPosting();
            _viewOf = _evaluation;
        }

        return view;
    }

    /// <summary>The current view as the read API's JSON, rendered once per view: lookups outnumber changes.</summary>
    private SubjectDocument CurrentDocument()
    {
        var view = CurrentView();
        return _document ??= SubjectDocument.Of(view);
    }

    /// <summary>
    /// Readies the evaluation for a read: false when the log holds nothing of this subject (the empty activation is
    /// freed instead of kept in memory); otherwise lets time pass first, so a read never shows an expired effect.
    /// </summary>
    private bool PrepareRead()
    {
        if (_evaluation.LastAppliedSequence == 0)
        {
            DeactivateOnIdle();
            return false;
        }

        if (RefreshForTime())
        {
            AfterChange();
        }

        return true;
    }

    private SubjectView ToView(SubjectEvaluation e) => new(
        e.SubjectId,
        _subjectType,
        e.Score,
        e.Grade,
        e.Tier,
        e.Dimensions,
        e.SeriouslyDishonest,
        e.Warnings,
        e.LastAppliedSequence,
        e.AsOf,
        e.RulesVersion,
        _divisionCode,
        _subjectName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Subject {SubjectId} filled a gap from the log: applied {Last}, received {Received}")]
    private partial void LogGapFilled(string subjectId, long last, long received);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream error for subject {SubjectId}")]
    private partial void LogStreamError(Exception ex, string subjectId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of subject {SubjectId} failed; retrying after the snapshot interval")]
    private partial void LogSnapshotFailed(Exception ex, string subjectId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of subject {SubjectId} was written elsewhere since this activation read it; deactivating so the next activation starts from the newer one")]
    private partial void LogSnapshotConflict(Exception ex, string subjectId);
}
