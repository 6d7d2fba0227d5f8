using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>When time alone will next change a subject's outcome, so a caller needs one timer per subject activation.</summary>
public sealed partial class CreditEvaluator
{
    /// <summary>
    /// The earliest instant after <see cref="SubjectEvaluation.AsOf"/> at which time alone changes the score, grade,
    /// tier or raises a warning; null when nothing is scheduled. Changes happen at local midnights, since every
    /// period in the model is counted in days. A warning that de-duplication would swallow still counts as a change.
    /// </summary>
    public DateTimeOffset? NextScheduledChange(SubjectEvaluation state)
    {
        var today = ScoreMath.LocalDate(state.AsOf, offset);
        DateOnly? next = null;
        var rising = false;
        var falling = false;
        var expiringDays = Rules.Warnings.LicenceExpiringDays;
        var escalationDays = Rules.Warnings.EscalationNoticeDays;
        var utility = false;

        void Consider(DateOnly? day)
        {
            if (day is { } d && d > today && (next is null || d < next))
            {
                next = d;
            }
        }

        foreach (var r in state.Records)
        {
            if (!ScoreMath.Counts(r))
            {
                continue;
            }

            var end = ScoreMath.EndOf(r);
            Consider(end);
            Consider(r.FullUntil);
            Consider(r.MaxPeriodEnds);
            Consider(r.CapUntil);
            Consider(r.EscalatesOn);
            Consider(r.EscalatesOn?.AddDays(-escalationDays));
            if (r.Status == RecordStatus.Active)
            {
                Consider(r.MinPeriodEnds);
            }

            if (r.EventType == EventTypes.LicenceGranted && r.Status == RecordStatus.Active)
            {
                Consider(r.EffectEnds?.AddDays(-expiringDays));
            }

            utility |= r.EventType == EventTypes.UtilityPaymentRecorded;
            if (end is { } e && today < e
                && (r.Shape == EffectShape.Decay || (r.Shape == EffectShape.ValidThenDecay && r.FullUntil is { } full && today >= full)))
            {
                rising |= r.InitialPoints < 0;
                falling |= r.InitialPoints > 0;
            }
        }

        if (utility)
        {
            // The on-time streak and the arrears run are counted in calendar months.
            Consider(new DateOnly(today.Year, today.Month, 1).AddMonths(1));
        }

        if (rising || falling)
        {
            var limit = next ?? today.AddYears(10);
            if (FirstScoreChange(state, today.AddDays(1), limit.AddDays(-1), monotone: !(rising && falling)) is { } changed)
            {
                return ScoreMath.StartOf(changed, offset);
            }
        }

        return next is { } when ? ScoreMath.StartOf(when, offset) : null;
    }

    /// <summary>
    /// First day in [from, to] whose score or grade differs from the state's. Between milestones every decaying
    /// record moves the same way when <paramref name="monotone"/> holds (all penalties fading, or all honours
    /// fading), so the score is monotone there and a binary search finds the day; otherwise each day is tried.
    /// </summary>
    private DateOnly? FirstScoreChange(SubjectEvaluation state, DateOnly from, DateOnly to, bool monotone)
    {
        if (to < from)
        {
            return null;
        }

        Span<int> dimensions = stackalloc int[6];
        bool Differs(DateOnly day, Span<int> buffer)
        {
            var totals = ScoreMath.Aggregate(Rules, state.Records.AsSpan(), day, usePointsNow: false, buffer);
            return totals.Score != state.Score || totals.Grade != state.Grade;
        }

        if (!monotone)
        {
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                if (Differs(day, dimensions))
                {
                    return day;
                }
            }

            return null;
        }

        if (!Differs(to, dimensions))
        {
            return null;
        }

        var lo = from.DayNumber;
        var hi = to.DayNumber;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Differs(DateOnly.FromDayNumber(mid), dimensions))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return DateOnly.FromDayNumber(lo);
    }
}
