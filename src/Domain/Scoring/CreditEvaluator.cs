using System.Collections.Immutable;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>
/// The credit evaluation model as a pure fold: <c>Evolve(state, event, now)</c> applies one logged record,
/// <c>Reevaluate(state, now)</c> lets time pass or applies a new rules version, and <see cref="NextScheduledChange"/>
/// says when time alone will next change the outcome, so a caller needs one timer per subject activation.
/// </summary>
public sealed partial class CreditEvaluator(CreditRules rules)
{
    private readonly TimeSpan offset = rules.LocalUtcOffset;

    public CreditRules Rules { get; } = rules;

    /// <summary>A subject with no records: every dimension at its base (750, grade B with the shipped rules).</summary>
    public SubjectEvaluation Initial(string subjectId, DateTimeOffset now)
    {
        var empty = new SubjectEvaluation { SubjectId = subjectId, AsOf = now, RulesVersion = Rules.Version };
        var evaluated = Finish(empty, ImmutableArray.CreateBuilder<RecordEffect>(0), now, added: null, eventWarning: null);
        return evaluated with { ScoreHistory = [new ScoreSample(now, evaluated.Score)], Conditions = WarningConditions.None, Warnings = [] };
    }

    /// <summary>Folds one logged record in; a sequence at or below <see cref="SubjectEvaluation.LastAppliedSequence"/> is a no-op.</summary>
    public SubjectEvaluation Evolve(SubjectEvaluation state, LoggedCreditEvent logged, DateTimeOffset now)
    {
        if (logged.SubjectSequence <= state.LastAppliedSequence)
        {
            return state;
        }

        state = WithCurrentRules(state);
        var e = logged.Event;
        var records = ImmutableArray.CreateBuilder<RecordEffect>(state.Records.Length + 1);
        records.AddRange(state.Records);
        RecordEffect? added = null;
        (string RuleId, string? RecordId)? eventWarning = null;

        switch (e.Details)
        {
            case SeriousDishonestyRemoved removed:
                var listKey = RecordResolver.ListKey(removed.ListName, removed.Authority);
                Close(records, r => r.EventType == EventTypes.SeriousDishonestyListed && r.MatchKey == listKey, e.DecisionDate, RecordStatus.Removed);
                break;
            case AbnormalOperationsRemoved removed:
                Close(
                    records,
                    r => r.EventType == EventTypes.AbnormalOperationsListed
                        && (removed.ListedRecordId is { } id ? r.RecordId == id : r.MatchKey == removed.Authority),
                    e.DecisionDate,
                    RecordStatus.Removed);
                break;
            case RestrictedConsumptionLifted lifted:
                Close(records, r => r.EventType == EventTypes.RestrictedConsumptionOrdered && r.MatchKey == lifted.CaseNumber, e.DecisionDate, RecordStatus.Removed);
                break;
            case ArrearsCleared cleared:
                var arrearsType = cleared.Kind == ArrearsKind.Tax ? EventTypes.TaxArrearsRecorded : EventTypes.SocialInsuranceArrearsRecorded;
                Close(
                    records,
                    r => r.EventType == arrearsType && (cleared.TargetRecordId is not { } target || r.RecordId == target),
                    e.DecisionDate,
                    RecordStatus.Removed);
                break;
            case RepairCompleted repair:
                Close(records, r => r.RecordId == repair.TargetRecordId, e.DecisionDate, RecordStatus.Repaired);
                break;
            case ObjectionOpened objection:
                ApplyObjection(records, objection, e.DecisionDate);
                if (objection.Status == ObjectionStatus.Filed)
                {
                    eventWarning = (WarningRuleIds.ObjectionFiled, objection.TargetRecordId);
                }

                break;
            default:
                added = RecordResolver.Resolve(Rules, logged.SubjectSequence, e);
                if (added is not null)
                {
                    added = Supersede(records, added);
                    records.Add(added);
                }

                break;
        }

        return Finish(state, records, now, added, eventWarning, logged.SubjectSequence);
    }

    /// <summary>Recomputes for <paramref name="now"/>: decay, expiries, lifted caps, time-triggered warnings, or a new rules version.</summary>
    public SubjectEvaluation Reevaluate(SubjectEvaluation state, DateTimeOffset now)
    {
        state = WithCurrentRules(state);
        var records = ImmutableArray.CreateBuilder<RecordEffect>(state.Records.Length);
        records.AddRange(state.Records);
        return Finish(state, records, now, added: null, eventWarning: null);
    }

    /// <summary>The records that move the score, largest effect first, and the caps that hold the grade down.</summary>
    public EvaluationExplanation Explain(SubjectEvaluation state)
    {
        var today = ScoreMath.LocalDate(state.AsOf, offset);
        var reasons = ImmutableArray.CreateBuilder<ScoreReason>();
        var caps = ImmutableArray.CreateBuilder<GradeCapReason>();
        foreach (var r in state.Records)
        {
            if (r.PointsNow != 0)
            {
                reasons.Add(new ScoreReason(r.RecordId, r.EventType, r.Variant, r.Dimension, Math.Round(r.PointsNow, 2), ScoreMath.EndOf(r), r.UnresolvedAfterMax));
            }

            if (ScoreMath.CapAt(r, today) is { } cap)
            {
                var until = r.EscalatesOn is { } escalates && today < escalates ? escalates : r.CapUntil ?? ScoreMath.EndOf(r);
                caps.Add(new GradeCapReason(r.RecordId, r.EventType, cap, until));
            }
        }

        Span<int> dimensions = stackalloc int[6];
        var totals = ScoreMath.Aggregate(Rules, state.Records.AsSpan(), today, usePointsNow: true, dimensions);
        if (totals.StreakBonus != 0 && Rules.Kinds.TryGetValue(EventTypes.UtilityPaymentRecorded, out var utility))
        {
            reasons.Add(new ScoreReason("utility-on-time-streak", EventTypes.UtilityPaymentRecorded, "OnTimeStreak", utility.Dimension, totals.StreakBonus, null, false));
        }

        reasons.Sort((a, b) => Math.Abs(b.PointsNow).CompareTo(Math.Abs(a.PointsNow)));
        caps.Sort((a, b) => b.Cap.CompareTo(a.Cap));
        return new EvaluationExplanation(state.SubjectId, state.Score, state.BandGrade, state.Grade, state.RulesVersion, reasons.ToImmutable(), caps.ToImmutable());
    }

    /// <summary>Moves one warning along its lifecycle; a disallowed move comes back as an error, the state unchanged.</summary>
    public WarningActionResult ApplyWarningAction(SubjectEvaluation state, string warningId, WarningAction action, DateTimeOffset now)
    {
        var index = -1;
        for (var i = 0; i < state.Warnings.Length; i++)
        {
            if (state.Warnings[i].Id == warningId)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            return new(state, WarningActionError.UnknownWarning);
        }

        var transition = WarningLifecycle.Apply(state.Warnings[index], action, now);
        return transition.Warning is { } changed
            ? new(state with { Warnings = state.Warnings.SetItem(index, changed) }, null)
            : new(state, transition.Error);
    }

    private SubjectEvaluation WithCurrentRules(SubjectEvaluation state)
    {
        if (state.RulesVersion == Rules.Version)
        {
            return state;
        }

        var records = ImmutableArray.CreateBuilder<RecordEffect>(state.Records.Length);
        foreach (var old in state.Records)
        {
            if (old.Source is null)
            {
                records.Add(old);
                continue;
            }

            if (RecordResolver.Resolve(Rules, old.SubjectSequence, old.Source) is not { } fresh)
            {
                continue;
            }

            fresh = fresh with { Status = old.Status, ClosedOn = old.ClosedOn, UnderObjection = old.UnderObjection };
            if (old.Status == RecordStatus.Removed && old.ClosedOn is { } closed)
            {
                fresh = WithClosedEnd(fresh, closed);
            }

            records.Add(fresh);
        }

        // The version is stamped by Finish, after every rescored record has been weighed for the day.
        return state with { Records = records.ToImmutable() };
    }

    private void Close(ImmutableArray<RecordEffect>.Builder records, Func<RecordEffect, bool> matches, DateOnly on, RecordStatus status)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (r.Status != RecordStatus.Active || r.DecisionDate > on || !matches(r))
            {
                continue;
            }

            var closed = r with { Status = status, ClosedOn = on };
            records[i] = status == RecordStatus.Removed ? WithClosedEnd(closed, on) : closed;
        }
    }

    /// <summary>A constant effect ends on clearing, or some months later where the kind says so (社保: +12 months).</summary>
    private RecordEffect WithClosedEnd(RecordEffect r, DateOnly closedOn)
    {
        if (r.Shape != EffectShape.Constant)
        {
            return r;
        }

        var after = Rules.Kinds.TryGetValue(r.EventType, out var kind) && kind.Variants.TryGetValue(r.Variant, out var variant)
            ? variant.AfterEndMonths ?? 0
            : 0;
        var end = closedOn.AddMonths(after);
        return r with { EffectEnds = r.EffectEnds is { } existing && existing < end ? existing : end };
    }

    private static void ApplyObjection(ImmutableArray<RecordEffect>.Builder records, ObjectionOpened objection, DateOnly on)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (r.RecordId != objection.TargetRecordId)
            {
                continue;
            }

            // The record keeps counting while an objection is merely open; only a confirmed error freezes it.
            records[i] = objection.Status switch
            {
                ObjectionStatus.ErrorConfirmed => r with { Status = RecordStatus.Frozen, ClosedOn = on, UnderObjection = false },
                ObjectionStatus.Upheld => r with { UnderObjection = false },
                _ => r with { UnderObjection = true },
            };
        }
    }

    /// <summary>Within one key only the latest record counts (by tax year or decision date, then sequence).</summary>
    private RecordEffect Supersede(ImmutableArray<RecordEffect>.Builder records, RecordEffect added)
    {
        if (added.MatchKey is null || !Rules.Kinds.TryGetValue(added.EventType, out var kind) || !kind.SupersedeSameKey)
        {
            return added;
        }

        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (r.Status != RecordStatus.Active || r.EventType != added.EventType || r.MatchKey != added.MatchKey)
            {
                continue;
            }

            if (IsLater(added, r))
            {
                records[i] = r with { Status = RecordStatus.Superseded, ClosedOn = added.DecisionDate };
            }
            else
            {
                return added with { Status = RecordStatus.Superseded, ClosedOn = r.DecisionDate };
            }
        }

        return added;
    }

    private static bool IsLater(RecordEffect a, RecordEffect b) =>
        a.OrderKey != b.OrderKey ? a.OrderKey > b.OrderKey
        : a.DecisionDate != b.DecisionDate ? a.DecisionDate > b.DecisionDate
        : a.SubjectSequence > b.SubjectSequence;

    private SubjectEvaluation Finish(
        SubjectEvaluation state,
        ImmutableArray<RecordEffect>.Builder records,
        DateTimeOffset now,
        RecordEffect? added,
        (string RuleId, string? RecordId)? eventWarning,
        long? appliedSequence = null)
    {
        var today = ScoreMath.LocalDate(now, offset);
        var previousDay = ScoreMath.LocalDate(state.AsOf, offset);
        var unresolvedWeight = Rules.Publicity.UnresolvedAfterMaxWeight;
        var warnings = new WarningCollector(this, state, now);

        // Points, spending and milestones are functions of the local day, so a record untouched by this step and
        // already evaluated for today keeps its values; this keeps the common same-day fold to one pass of sums.
        var sameDay = today == previousDay && state.RulesVersion == Rules.Version && !state.Records.IsDefaultOrEmpty;
        var previous = state.Records;
        var count = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (sameDay && i < previous.Length && ReferenceEquals(r, previous[i]))
            {
                records[count++] = r;
                continue;
            }

            if (IsSpent(r, today))
            {
                continue;
            }

            var points = r.InitialPoints * ScoreMath.Weight(r, today, unresolvedWeight, out var unresolved);
            if (points != r.PointsNow || unresolved != r.UnresolvedAfterMax)
            {
                r = r with { PointsNow = points, UnresolvedAfterMax = unresolved };
            }

            records[count++] = r;
            CheckMilestones(ref warnings, r, today, previousDay, isNew: added is not null && ReferenceEquals(r.Source, added.Source));
        }

        records.Count = count;
        var kept = records.DrainToImmutable();
        Span<int> dimensions = stackalloc int[6];
        var totals = ScoreMath.Aggregate(Rules, kept.AsSpan(), today, usePointsNow: true, dimensions);
        var history = UpdateHistory(state.ScoreHistory, now, totals.Score, out var drop);
        var conditions = totals.Conditions;
        if (drop >= Rules.Warnings.ScoreDropCriticalPoints)
        {
            conditions |= WarningConditions.ScoreDropCritical;
        }

        if (drop >= Rules.Warnings.ScoreDropHighPoints)
        {
            conditions |= WarningConditions.ScoreDropHigh;
        }

        var switchedOn = conditions & ~state.Conditions;
        if ((switchedOn & WarningConditions.ForcedGradeD) != 0)
        {
            warnings.Raise(WarningRuleIds.SeriousDishonesty, $"One-vote veto: {totals.ForcedBy?.EventType} forces grade D.", totals.ForcedBy?.RecordId);
        }

        if ((switchedOn & WarningConditions.GradeD) != 0)
        {
            warnings.Raise(WarningRuleIds.GradeFellToD, $"Grade fell from {state.Grade} to D.", null);
        }
        else if (totals.Grade > state.Grade)
        {
            warnings.Raise(WarningRuleIds.GradeDowngraded, $"Grade downgraded from {state.Grade} to {totals.Grade}.", null);
        }

        if ((switchedOn & WarningConditions.ScoreDropCritical) != 0)
        {
            warnings.Raise(WarningRuleIds.ScoreDropCritical, $"Score fell {drop} points within the window.", null);
        }
        else if ((switchedOn & WarningConditions.ScoreDropHigh) != 0)
        {
            warnings.Raise(WarningRuleIds.ScoreDropHigh, $"Score fell {drop} points within the window.", null);
        }

        if ((switchedOn & WarningConditions.RepeatedGeneralPenalties) != 0)
        {
            warnings.Raise(WarningRuleIds.RepeatedGeneralPenalties, "Repeated general-class penalties within the window.", added?.RecordId);
        }

        if ((switchedOn & WarningConditions.UtilityArrears) != 0)
        {
            warnings.Raise(WarningRuleIds.UtilityArrears, "Utility arrears in consecutive months.", added?.RecordId);
        }

        if (added is not null && ScoreMath.InEffect(added, today))
        {
            RaiseForNewRecord(ref warnings, added, state.SubjectId);
        }

        if (eventWarning is { } ew)
        {
            warnings.Raise(ew.RuleId, "Objection filed against a record.", ew.RecordId);
        }

        return state with
        {
            Records = kept,
            Dimensions = SameDimensions(state.Dimensions, dimensions)
                ? state.Dimensions
                : new DimensionScores(dimensions[0], dimensions[1], dimensions[2], dimensions[3], dimensions[4], dimensions[5]),
            Score = totals.Score,
            BandGrade = totals.Band,
            Grade = totals.Grade,
            Tier = Rules.SupervisionFor(totals.Grade).Tier,
            SeriouslyDishonest = (totals.Conditions & WarningConditions.ForcedGradeD) != 0,
            Warnings = warnings.Result(),
            WarningsRaised = warnings.Raised,
            ScoreHistory = history,
            Conditions = conditions,
            AsOf = now,
            RulesVersion = Rules.Version,

            // Set here rather than by a copy afterwards: one new state per folded record.
            LastAppliedSequence = appliedSequence ?? state.LastAppliedSequence,
        };
    }

    private static bool SameDimensions(DimensionScores d, ReadOnlySpan<int> values) =>
        d.LawCompliance == values[0] && d.ContractPerformance == values[1] && d.Qualifications == values[2]
        && d.SocialResponsibility == values[3] && d.SupervisoryRisk == values[4] && d.BasicAttributes == values[5];

    /// <summary>A record can be dropped once nothing about it can move the score, a cap or a warning again.</summary>
    private bool IsSpent(RecordEffect r, DateOnly today)
    {
        switch (r.Status)
        {
            case RecordStatus.Superseded:
            case RecordStatus.Frozen:
                return true;
            case RecordStatus.Repaired:
                // Repaired records stay internally for the retention period (DOMAIN §8.4).
                return r.ClosedOn is { } repaired && today >= repaired.AddMonths(Rules.Publicity.RepairedRetentionMonths);
        }

        if (ScoreMath.EndOf(r) is not { } end)
        {
            return false;
        }

        var last = end;
        if (r.EventType == EventTypes.LicenceGranted)
        {
            last = end.AddDays(Rules.Warnings.LicenceExpiredDays);
        }

        if (r.CapUntil is { } cap && cap > last)
        {
            last = cap;
        }

        return today >= last;
    }

    private ImmutableArray<ScoreSample> UpdateHistory(ImmutableArray<ScoreSample> history, DateTimeOffset now, int score, out int drop)
    {
        var cutoff = now - Rules.Warnings.ScoreDropWindow;

        // Keep the last sample before the window: it is the level the window opened at.
        var first = 0;
        for (var i = 1; i < history.Length && history[i].At <= cutoff; i++)
        {
            first = i;
        }

        var max = score;
        for (var i = first; i < history.Length; i++)
        {
            max = Math.Max(max, history[i].Score);
        }

        drop = max - score;
        var changed = history.IsEmpty || history[^1].Score != score;
        if (first == 0 && !changed)
        {
            return history;
        }

        var builder = ImmutableArray.CreateBuilder<ScoreSample>(history.Length - first + 1);
        for (var i = first; i < history.Length; i++)
        {
            builder.Add(history[i]);
        }

        if (changed)
        {
            builder.Add(new ScoreSample(now, score));
        }

        return builder.Count == builder.Capacity ? builder.MoveToImmutable() : builder.ToImmutable();
    }
}
