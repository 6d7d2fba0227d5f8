using System.Collections.Frozen;
using System.Collections.Immutable;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>
/// One version of the scoring model: every weight, period, band, tier and warning threshold, read from a
/// versioned rules file (<c>Rules/credit-rules.v1.json</c>) so that a rule is changed in data, not in code.
/// </summary>
public sealed record CreditRules
{
    private const string DefaultResource = "CreditGrid.Domain.Rules.credit-rules.v1.json";

    private static readonly Lazy<CreditRules> DefaultRules = new(LoadDefault);

    internal CreditRules(
        string version,
        TimeSpan localUtcOffset,
        ImmutableArray<DimensionRule> dimensions,
        GradeBands grades,
        PublicityRules publicity,
        ImmutableArray<KindRule> kinds,
        ImmutableArray<SupervisionPolicy> supervision,
        WarningRules warnings)
    {
        Version = version;
        LocalUtcOffset = localUtcOffset;
        Dimensions = dimensions;
        Grades = grades;
        Publicity = publicity;
        KindList = kinds;
        Kinds = kinds.ToFrozenDictionary(k => k.EventType, StringComparer.Ordinal);
        Supervision = supervision;
        Warnings = warnings;
        MaxTotal = dimensions.Sum(d => d.Max);
    }

    /// <summary>The rules file's own version (<c>2026.1</c> or semver); every evaluation records it.</summary>
    public string Version { get; }

    /// <summary>Offset of the civil calendar that decision dates are written in (China Standard Time).</summary>
    public TimeSpan LocalUtcOffset { get; }

    /// <summary>D1–D6, indexed by <c>(int)Dimension - 1</c>.</summary>
    public ImmutableArray<DimensionRule> Dimensions { get; }

    public int MaxTotal { get; }

    public GradeBands Grades { get; }

    public PublicityRules Publicity { get; }

    /// <summary>Scored event kinds by their wire alias.</summary>
    public FrozenDictionary<string, KindRule> Kinds { get; }

    /// <summary>The same kinds in a stable order; <see cref="KindRule.Index"/> points into it.</summary>
    public ImmutableArray<KindRule> KindList { get; }

    /// <summary>分级分类监管 policy per grade, indexed by <see cref="CreditGrade"/>.</summary>
    public ImmutableArray<SupervisionPolicy> Supervision { get; }

    public WarningRules Warnings { get; }

    /// <summary>The rules shipped with the domain assembly.</summary>
    public static CreditRules Default => DefaultRules.Value;

    /// <summary>Reads and validates a rules file; never throws on bad input.</summary>
    public static RulesParseResult Parse(string json) => CreditRulesParser.Parse(json);

    public DimensionRule Dimension(Dimension dimension) => Dimensions[(int)dimension - 1];

    public SupervisionPolicy SupervisionFor(CreditGrade grade) => Supervision[(int)grade];

    /// <summary>Band grade for a score, before any override.</summary>
    public CreditGrade BandFor(int score) =>
        score >= Grades.A ? CreditGrade.A : score >= Grades.B ? CreditGrade.B : score >= Grades.C ? CreditGrade.C : CreditGrade.D;

    /// <summary>The text of the shipped rules file, e.g. as the starting point of a new version.</summary>
    public static string DefaultFileText()
    {
        using var stream = typeof(CreditRules).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"Embedded rules resource {DefaultResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static CreditRules LoadDefault()
    {
        var result = Parse(DefaultFileText());
        return result.Rules ?? throw new InvalidOperationException(
            "The embedded rules file is invalid: " + string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
    }
}

/// <summary>Outcome of <see cref="CreditRules.Parse"/>: the rules, or every problem found with its key path.</summary>
public sealed record RulesParseResult(CreditRules? Rules, ImmutableArray<RulesError> Errors)
{
    public bool IsValid => Rules is not null;
}

/// <summary>One refusal, naming the offending key path such as <c>dimensions.D3.max</c>.</summary>
public sealed record RulesError(string Path, string Message);

/// <summary>Base score of a new subject and ceiling of one dimension (DOMAIN §4.2).</summary>
public sealed record DimensionRule(Dimension Dimension, int Base, int Max);

/// <summary>Lowest score of grades A, B and C; anything below C is D (DOMAIN §4.3).</summary>
public sealed record GradeBands(int A, int B, int C);

/// <summary>Publicity periods (DOMAIN §3.3) and what happens around them.</summary>
public sealed record PublicityRules(
    double UnresolvedAfterMaxWeight,
    int RepairedRetentionMonths,
    PublicityClass DefaultPenaltyClass,
    FrozenDictionary<PenaltyType, PublicityClass> PenaltyTypeClasses,
    ImmutableArray<PublicityRuleSet> RuleSets)
{
    /// <summary>The dated rule set (Order 58, Order 36, …) in force on the decision date; the earliest for older decisions.</summary>
    public PublicityRuleSet For(DateOnly decisionDate)
    {
        var chosen = RuleSets[0];
        foreach (var set in RuleSets)
        {
            if (set.EffectiveFrom <= decisionDate)
            {
                chosen = set;
            }
        }

        return chosen;
    }

    /// <summary>
    /// Class of a penalty whose provider did not classify it: the class of each penalty type, and the most severe
    /// when one decision carries several, because the longest publicity period then applies.
    /// </summary>
    public PublicityClass Infer(IReadOnlyList<PenaltyType> penaltyTypes)
    {
        if (penaltyTypes.Count == 0)
        {
            return DefaultPenaltyClass;
        }

        var result = PublicityClass.NotApplicable;
        foreach (var type in penaltyTypes)
        {
            var cls = PenaltyTypeClasses.GetValueOrDefault(type, DefaultPenaltyClass);
            if (cls > result)
            {
                result = cls;
            }
        }

        return result == PublicityClass.NotApplicable ? DefaultPenaltyClass : result;
    }
}

/// <summary>One dated regulation (e.g. NDRC Order 36 from 2026-04-01) with its periods per information class.</summary>
public sealed record PublicityRuleSet(string Id, DateOnly EffectiveFrom, PublicityPeriod Minor, PublicityPeriod General, PublicityPeriod Serious)
{
    public PublicityPeriod For(PublicityClass publicityClass) => publicityClass switch
    {
        PublicityClass.Minor => Minor,
        PublicityClass.Serious => Serious,
        _ => General,
    };
}

/// <summary>最短 / 最长公示期 in months: earliest repair, and automatic end of publication.</summary>
public sealed record PublicityPeriod(int MinMonths, int MaxMonths);

/// <summary>How a record's points move with time.</summary>
public enum EffectShape
{
    /// <summary>Full points until the effect ends.</summary>
    Constant,

    /// <summary><c>impact0 × max(0, 1 − age / period)</c> from the decision date.</summary>
    Decay,

    /// <summary>Full points for a validity window, then linear decay to zero.</summary>
    ValidThenDecay,
}

/// <summary>Scoring of one event kind; <see cref="Variants"/> holds the sub-cases the evaluator tells apart.</summary>
public sealed record KindRule(
    int Index,
    string EventType,
    Dimension Dimension,
    int? CapPositive,
    int? CapNegative,
    bool SupersedeSameKey,
    decimal? Threshold,
    int? StreakMonths,
    int? StreakPoints,
    ImmutableArray<string> MajorKeys,
    FrozenDictionary<string, VariantRule> Variants);

/// <summary>Points, shape and overrides of one sub-case of a kind (e.g. a serious penalty).</summary>
/// <param name="Months">Length of the effect from the decision date; null means until ended by a later record.</param>
/// <param name="PublicityPeriod">Take the length from the maximum publicity period of the record's class instead.</param>
/// <param name="CapGrade">Highest grade allowed while the cap holds; D forces grade D.</param>
/// <param name="CapMonths">How long the cap holds from the decision date; null means while the effect lasts.</param>
/// <param name="MaxMonths">After this many months without removal the record keeps a reduced weight and no cap.</param>
/// <param name="AfterEndMonths">The effect continues this long after the record is cleared.</param>
/// <param name="EscalateAfterMonths">After this many months still in force, <see cref="EscalatedCapGrade"/> applies.</param>
public sealed record VariantRule(
    string Name,
    int Points,
    EffectShape Shape,
    int? Months,
    bool PublicityPeriod,
    int? DecayMonths,
    bool Serious,
    CreditGrade? CapGrade,
    int? CapMonths,
    int? MaxMonths,
    int? AfterEndMonths,
    int? AboveThresholdPoints,
    int? EscalateAfterMonths,
    CreditGrade? EscalatedCapGrade);

/// <summary>Supervision intensity for one grade (DOMAIN §5): 双随机 sampling ratio and minimum inspection frequency.</summary>
/// <param name="MinInspectionEveryMonths">At least one targeted inspection in this many months; null when random sampling suffices.</param>
public sealed record SupervisionPolicy(
    CreditGrade Grade,
    SupervisionTier Tier,
    double SamplingRatio,
    double SamplingRatioMin,
    double SamplingRatioMax,
    int? MinInspectionEveryMonths);

/// <summary>Warning triggers of DOMAIN §6 and the de-duplication window.</summary>
public sealed record WarningRules(TimeSpan DeduplicationWindow, FrozenDictionary<string, WarningTrigger> Triggers)
{
    public WarningTrigger this[string ruleId] => Triggers[ruleId];

    // Resolved once: the fold reads these for every record on every event.
    internal int LicenceExpiringDays { get; } = Triggers.GetValueOrDefault(WarningRuleIds.LicenceExpiring)?.Days ?? 0;

    internal int LicenceExpiredDays { get; } = Triggers.GetValueOrDefault(WarningRuleIds.LicenceExpired)?.Days ?? 0;

    internal int EscalationNoticeDays { get; } = Triggers.GetValueOrDefault(WarningRuleIds.AbnormalEscalationDue)?.Days ?? 0;

    internal int RepairAllowedDays { get; } = Triggers.GetValueOrDefault(WarningRuleIds.RepairAllowed)?.Days ?? 0;

    internal int RepeatedPenaltyMonths { get; } = Triggers.GetValueOrDefault(WarningRuleIds.RepeatedGeneralPenalties)?.Months ?? 12;

    internal int RepeatedPenaltyCount { get; } = Triggers.GetValueOrDefault(WarningRuleIds.RepeatedGeneralPenalties)?.Count ?? 2;

    internal int UtilityArrearsMonths { get; } = Triggers.GetValueOrDefault(WarningRuleIds.UtilityArrears)?.Months ?? 3;

    internal int SocialInsuranceArrearsMonths { get; } = Triggers.GetValueOrDefault(WarningRuleIds.SocialInsuranceArrears)?.Months ?? int.MaxValue;

    internal int ScoreDropCriticalPoints { get; } = Triggers.GetValueOrDefault(WarningRuleIds.ScoreDropCritical)?.Points ?? int.MaxValue;

    internal int ScoreDropHighPoints { get; } = Triggers.GetValueOrDefault(WarningRuleIds.ScoreDropHigh)?.Points ?? int.MaxValue;

    internal TimeSpan ScoreDropWindow { get; } = TimeSpan.FromDays(Math.Max(
        Triggers.GetValueOrDefault(WarningRuleIds.ScoreDropCritical)?.Days ?? 0,
        Triggers.GetValueOrDefault(WarningRuleIds.ScoreDropHigh)?.Days ?? 0));
}

/// <summary>One trigger: its severity and the thresholds it needs (points, days, months, count).</summary>
public sealed record WarningTrigger(string RuleId, WarningSeverity Severity, int? Points, int? Days, int? Months, int? Count);
