using System.Collections.Immutable;

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
    DateOnly? EffectEnds);

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
public sealed record IntegrityWarning(string RuleId, WarningSeverity Severity, string Reason, DateTimeOffset RaisedAt, string? RecordId);
