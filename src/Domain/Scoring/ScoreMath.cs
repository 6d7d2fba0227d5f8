using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>What a set of records adds up to on one day.</summary>
internal struct Totals
{
    public int Score;
    public CreditGrade Band;
    public CreditGrade Grade;
    public WarningConditions Conditions;
    public double StreakBonus;
    public RecordEffect? ForcedBy;
}

/// <summary>
/// The time-dependent arithmetic of the model. Everything is a function of (record, local day), so the same code
/// serves the fold, the re-evaluation and the search for the next change, and they can never disagree.
/// </summary>
internal static class ScoreMath
{
    public static DateOnly LocalDate(DateTimeOffset instant, TimeSpan offset) => DateOnly.FromDateTime(instant.ToOffset(offset).DateTime);

    public static DateTimeOffset StartOf(DateOnly day, TimeSpan offset) => new(day.ToDateTime(TimeOnly.MinValue), offset);

    /// <summary>First day on which a record contributes nothing; a removed decaying record stops on removal.</summary>
    public static DateOnly? EndOf(RecordEffect r) =>
        r.Status == RecordStatus.Removed && r.Shape != EffectShape.Constant ? r.ClosedOn : r.EffectEnds;

    public static bool Counts(RecordEffect r) => r.Status is RecordStatus.Active or RecordStatus.Removed;

    public static bool InEffect(RecordEffect r, DateOnly day) => Counts(r) && (EndOf(r) is not { } end || day < end);

    /// <summary>Share of the initial points that still applies on <paramref name="day"/>.</summary>
    public static double Weight(RecordEffect r, DateOnly day, double unresolvedWeight, out bool unresolved)
    {
        unresolved = false;
        if (!InEffect(r, day))
        {
            return 0;
        }

        var weight = 1.0;
        if (r.Shape == EffectShape.Decay && r.EffectEnds is { } end)
        {
            weight = Linear(day, r.DecisionDate, end);
        }
        else if (r.Shape == EffectShape.ValidThenDecay && r.FullUntil is { } full && r.EffectEnds is { } last && day >= full)
        {
            weight = Linear(day, full, last);
        }

        // Only a record still in force and never removed is "uncorrected" once its maximum period is over.
        if (r.MaxPeriodEnds is { } max && day >= max && r.Status == RecordStatus.Active)
        {
            weight *= unresolvedWeight;
            unresolved = true;
        }

        return weight;
    }

    private static double Linear(DateOnly day, DateOnly from, DateOnly to)
    {
        var span = to.DayNumber - from.DayNumber;
        if (span <= 0)
        {
            return 0;
        }

        var age = Math.Max(0, day.DayNumber - from.DayNumber);
        return Math.Max(0, 1 - ((double)age / span));
    }

    /// <summary>The grade cap the record imposes on <paramref name="day"/>, if any.</summary>
    public static CreditGrade? CapAt(RecordEffect r, DateOnly day)
    {
        if (r.CapGrade is null && r.EscalatedCapGrade is null)
        {
            return null;
        }

        // A removed record no longer vetoes the grade even while its points linger.
        if (r.Status != RecordStatus.Active || !InEffect(r, day))
        {
            return null;
        }

        // Publication stops automatically at the maximum period, and the veto goes with it.
        if (r.MaxPeriodEnds is { } max && day >= max)
        {
            return null;
        }

        if (r.EscalatesOn is { } escalates && day >= escalates && r.EscalatedCapGrade is { } escalated)
        {
            return escalated;
        }

        if (r.CapUntil is { } until && day >= until)
        {
            return null;
        }

        return r.CapGrade;
    }

    /// <summary>
    /// Dimension totals, score and grade on <paramref name="day"/>. With <paramref name="usePointsNow"/> the records'
    /// stored points are taken as already computed for that day; otherwise they are computed here.
    /// </summary>
    public static Totals Aggregate(CreditRules rules, ReadOnlySpan<RecordEffect> records, DateOnly day, bool usePointsNow, Span<int> dimensions)
    {
        var kindCount = rules.KindList.Length;
        Span<double> positive = stackalloc double[kindCount];
        Span<double> negative = stackalloc double[kindCount];
        positive.Clear();
        negative.Clear();
        var totals = default(Totals);
        var cap = CreditGrade.A;
        var monthNow = RecordResolver.MonthIndex(day);
        var onTimeMonths = 0L;
        var lateMonths = 0L;
        var utilityKind = -1;
        var generalPenalties = 0;
        var repeatedSince = day.AddMonths(-rules.Warnings.RepeatedPenaltyMonths);
        var unresolvedWeight = rules.Publicity.UnresolvedAfterMaxWeight;

        foreach (var r in records)
        {
            if (KindOf(rules, r) is not { } kind)
            {
                continue;
            }

            var points = usePointsNow ? r.PointsNow : r.InitialPoints * Weight(r, day, unresolvedWeight, out _);
            if (points > 0)
            {
                positive[kind.Index] += points;
            }
            else
            {
                negative[kind.Index] += points;
            }

            if (CapAt(r, day) is { } recordCap && recordCap > cap)
            {
                cap = recordCap;
                if (recordCap == CreditGrade.D)
                {
                    totals.ForcedBy = r;
                }
            }

            if (kind.StreakMonths is not null && InEffect(r, day))
            {
                utilityKind = kind.Index;
                var age = monthNow - r.OrderKey;
                if (age is >= 0 and < 63)
                {
                    if (r.Variant == "OnTime")
                    {
                        onTimeMonths |= 1L << age;
                    }
                    else
                    {
                        lateMonths |= 1L << age;
                    }
                }
            }

            if (r.PublicityClass == PublicityClass.General && r.Status == RecordStatus.Active && r.EventType == EventTypes.PenaltyImposed
                && r.DecisionDate > repeatedSince)
            {
                generalPenalties++;
            }
        }

        Span<double> sums = stackalloc double[6];
        sums.Clear();
        foreach (var kind in rules.KindList)
        {
            var pos = positive[kind.Index];
            var neg = negative[kind.Index];
            if (kind.CapPositive is { } capPositive)
            {
                pos = Math.Min(pos, capPositive);
            }

            if (kind.CapNegative is { } capNegative)
            {
                neg = Math.Max(neg, capNegative);
            }

            sums[(int)kind.Dimension - 1] += pos + neg;

            if (kind.Index == utilityKind && kind.StreakMonths is { } streak and > 0 and < 62)
            {
                // A streak counts whole past months, so the current month (bit 0) is left out of the window.
                var window = ((1L << streak) - 1) << 1;
                if ((onTimeMonths & window) == window && (lateMonths & window) == 0)
                {
                    totals.StreakBonus = kind.StreakPoints ?? 0;
                    sums[(int)kind.Dimension - 1] += totals.StreakBonus;
                }
            }
        }

        var score = 0;
        for (var i = 0; i < 6; i++)
        {
            var rule = rules.Dimensions[i];
            var value = (int)Math.Round(rule.Base + sums[i], MidpointRounding.AwayFromZero);
            value = Math.Clamp(value, 0, rule.Max);
            dimensions[i] = value;
            score += value;
        }

        totals.Score = score;
        totals.Band = rules.BandFor(score);
        totals.Grade = totals.Band > cap ? totals.Band : cap;
        if (cap == CreditGrade.D)
        {
            totals.Conditions |= WarningConditions.ForcedGradeD;
        }

        if (totals.Grade == CreditGrade.D)
        {
            totals.Conditions |= WarningConditions.GradeD;
        }

        if (generalPenalties >= rules.Warnings.RepeatedPenaltyCount)
        {
            totals.Conditions |= WarningConditions.RepeatedGeneralPenalties;
        }

        var consecutive = rules.Warnings.UtilityArrearsMonths;
        if (consecutive > 0 && HasRun(lateMonths, consecutive))
        {
            totals.Conditions |= WarningConditions.UtilityArrears;
        }

        return totals;
    }

    /// <summary>The record's kind, found by its cached slot when the slot still names it, else by alias.</summary>
    public static KindRule? KindOf(CreditRules rules, RecordEffect r)
    {
        var kinds = rules.KindList;
        var slot = r.KindSlot;
        if ((uint)slot < (uint)kinds.Length && string.Equals(kinds[slot].EventType, r.EventType, StringComparison.Ordinal))
        {
            return kinds[slot];
        }

        return rules.Kinds.GetValueOrDefault(r.EventType);
    }

    private static bool HasRun(long mask, int length)
    {
        var run = mask;
        for (var i = 1; i < length && run != 0; i++)
        {
            run &= mask >> i;
        }

        return run != 0;
    }
}
