using System.Collections.Immutable;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>
/// The live composite evaluation (企业公共信用综合评价) of one subject: the fold of its credit events.
/// Pure data; <see cref="CreditEvaluator"/> produces each new value.
/// </summary>
public sealed record SubjectEvaluation
{
    public required string SubjectId { get; init; }

    /// <summary>Highest subject sequence folded in; events at or below it are skipped.</summary>
    public long LastAppliedSequence { get; init; }

    /// <summary>Records that still (or may again) move the score, with what they contribute.</summary>
    public ImmutableArray<RecordEffect> Records { get; init; } = [];

    public DimensionScores Dimensions { get; init; } = DimensionScores.Empty;

    /// <summary>0–1000 composite score.</summary>
    public int Score { get; init; }

    public CreditGrade Grade { get; init; } = CreditGrade.B;

    public SupervisionTier Tier { get; init; } = SupervisionTier.General;

    /// <summary>On a serious-dishonesty list, a dishonest judgment debtor, or an abnormal taxpayer.</summary>
    public bool SeriouslyDishonest { get; init; }

    public ImmutableArray<IntegrityWarning> Warnings { get; init; } = [];

    /// <summary>The instant the evaluation was computed for.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>Version of the rules file that produced this evaluation.</summary>
    public string RulesVersion { get; init; } = "";

    /// <summary>The 100-point view (score / 10) for consumers that expect a percentage-like scale.</summary>
    public decimal HundredPointScore => Score / 10m;

    /// <summary>The grade the score alone would earn, before one-vote-veto caps.</summary>
    public CreditGrade BandGrade { get; init; } = CreditGrade.B;

    /// <summary>Scores seen within the longest score-drop window, oldest first, to detect sharp falls.</summary>
    public ImmutableArray<ScoreSample> ScoreHistory { get; init; } = [];

    /// <summary>Standing conditions at <see cref="AsOf"/>; a warning fires only when one switches on.</summary>
    public WarningConditions Conditions { get; init; }

    /// <summary>Count of warnings ever raised for the subject; it numbers the next warning id.</summary>
    public long WarningsRaised { get; init; }
}

/// <summary>The score at one instant.</summary>
public sealed record ScoreSample(DateTimeOffset At, int Score);

/// <summary>Subject-level warning conditions that persist over time.</summary>
[Flags]
public enum WarningConditions
{
    None = 0,
    ForcedGradeD = 1,
    GradeD = 2,
    ScoreDropCritical = 4,
    ScoreDropHigh = 8,
    RepeatedGeneralPenalties = 16,
    UtilityArrears = 32,
}

/// <summary>Where a record stands in its lifecycle.</summary>
public enum RecordStatus
{
    Active,

    /// <summary>Removed from the list or cleared by the authority; it may still count for a while after.</summary>
    Removed,

    /// <summary>信用修复 completed: out of the public score, kept internally for the retention period.</summary>
    Repaired,

    /// <summary>Replaced by a later record of the same key, such as next year's tax rating.</summary>
    Superseded,

    /// <summary>The provider confirmed an objection: the record is wrong and counts for nothing.</summary>
    Frozen,
}

/// <summary>The six dimensions D1–D6 of DOMAIN §4.2, each clamped to [0, its maximum].</summary>
public sealed record DimensionScores(int LawCompliance, int ContractPerformance, int Qualifications, int SocialResponsibility, int SupervisoryRisk, int BasicAttributes)
{
    public static readonly DimensionScores Empty = new(0, 0, 0, 0, 0, 0);

    public int Total => LawCompliance + ContractPerformance + Qualifications + SocialResponsibility + SupervisoryRisk + BasicAttributes;
}

/// <summary>What one record contributes now, and when that ends.</summary>
public sealed record RecordEffect(
    long SubjectSequence,
    string RecordId,
    string EventType,
    Dimension Dimension,
    double InitialPoints,
    double PointsNow,
    DateOnly DecisionDate,
    DateOnly? EffectEnds)
{
    /// <summary>The sub-case of the kind that set the numbers, e.g. <c>Serious</c> for a penalty.</summary>
    public string Variant { get; init; } = "";

    public bool Serious { get; init; }

    /// <summary>Class used for publicity periods, inferred from the penalty types when the provider omitted it.</summary>
    public PublicityClass PublicityClass { get; init; }

    public EffectShape Shape { get; init; }

    /// <summary>End of the full-weight window of a <see cref="EffectShape.ValidThenDecay"/> record.</summary>
    public DateOnly? FullUntil { get; init; }

    /// <summary>Minimum publicity period over: repair may be applied for from this day.</summary>
    public DateOnly? MinPeriodEnds { get; init; }

    /// <summary>Maximum period over: an uncorrected record then keeps a reduced weight and is flagged.</summary>
    public DateOnly? MaxPeriodEnds { get; init; }

    /// <summary>Highest grade the record allows while its cap holds; D is a forced D.</summary>
    public CreditGrade? CapGrade { get; init; }

    /// <summary>Last day before which the cap holds; null means while the effect lasts.</summary>
    public DateOnly? CapUntil { get; init; }

    /// <summary>From this day, if still in force, <see cref="EscalatedCapGrade"/> replaces <see cref="CapGrade"/>.</summary>
    public DateOnly? EscalatesOn { get; init; }

    public CreditGrade? EscalatedCapGrade { get; init; }

    /// <summary>What later records match on: a list name, case number, licence type, utility.</summary>
    public string? MatchKey { get; init; }

    /// <summary>Orders records of one key: the tax year, or the month index of a utility bill.</summary>
    public int OrderKey { get; init; }

    public RecordStatus Status { get; init; }

    /// <summary>The day the record was removed, cleared, repaired or superseded.</summary>
    public DateOnly? ClosedOn { get; init; }

    /// <summary>An objection is open and not yet confirmed; shown as a flag only.</summary>
    public bool UnderObjection { get; init; }

    /// <summary>Past its maximum period and never corrected: kept at reduced weight (UNRESOLVED_AFTER_MAX).</summary>
    public bool UnresolvedAfterMax { get; init; }

    /// <summary>The accepted record itself, so a new rules version can re-score it.</summary>
    public CreditEvent? Source { get; init; }

    /// <summary>Position of the kind in the rules that resolved it; a lookup shortcut, never serialized.</summary>
    internal int KindSlot { get; init; } = -1;
}

public enum Dimension
{
    LawCompliance = 1,
    ContractPerformance = 2,
    Qualifications = 3,
    SocialResponsibility = 4,
    SupervisoryRisk = 5,
    BasicAttributes = 6,
}

/// <summary>A (优) / B (良) / C (中, 失信观察) / D (差, 严重失信).</summary>
public enum CreditGrade
{
    A,
    B,
    C,
    D,
}

/// <summary>分级分类监管 risk class: A low … D high (国市监信发〔2022〕6号).</summary>
public enum SupervisionTier
{
    Low,
    General,
    RelativelyHigh,
    High,
}

public enum WarningSeverity
{
    Blue,
    Yellow,
    Orange,
    Red,
}

/// <summary>诚信预警: one raised warning, de-duplicated per (subject, rule).</summary>
public sealed record IntegrityWarning(string RuleId, WarningSeverity Severity, string Reason, DateTimeOffset RaisedAt, string? RecordId)
{
    /// <summary>Unique within the subject: <c>{subjectId}/W{n}</c>.</summary>
    public string Id { get; init; } = "";

    public WarningStatus Status { get; init; } = WarningStatus.Open;

    /// <summary>When <see cref="Status"/> last changed.</summary>
    public DateTimeOffset? StatusChangedAt { get; init; }
}

/// <summary>Warning lifecycle: OPEN → ACKNOWLEDGED → RESOLVED | ESCALATED.</summary>
public enum WarningStatus
{
    Open,
    Acknowledged,
    Resolved,
    Escalated,
}
