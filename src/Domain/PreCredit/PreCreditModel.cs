using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.PreCredit;

/// <summary>What the policy needs to know about an enterprise, gathered under its authorisation (DOMAIN §9).</summary>
/// <param name="OnSeriousDishonestyList">On a serious dishonesty list (严重失信主体名单).</param>
/// <param name="DishonestJudgmentDebtor">A dishonest judgment debtor (失信被执行人).</param>
/// <param name="AbnormalTaxpayer">An abnormal taxpayer (非正常户).</param>
/// <param name="TaxRatingD">Tax credit rating D.</param>
/// <param name="OnAbnormalOperationsList">On the abnormal operations list (经营异常名录).</param>
/// <param name="Grade">Composite public-credit grade (§4).</param>
/// <param name="AgeMonths">Months since establishment.</param>
/// <param name="MonthsWithTaxDeclaredLast12">Months of the last twelve with a tax declaration.</param>
/// <param name="AnnualTaxPaid">Tax paid over the last twelve months, yuan.</param>
/// <param name="AnnualInvoiceSales">VAT invoiced sales over the last twelve months, yuan.</param>
public sealed record PreCreditFeatures(
    bool OnSeriousDishonestyList,
    bool DishonestJudgmentDebtor,
    bool AbnormalTaxpayer,
    bool TaxRatingD,
    bool OnAbnormalOperationsList,
    CreditGrade Grade,
    int AgeMonths,
    int MonthsWithTaxDeclaredLast12,
    decimal AnnualTaxPaid,
    decimal AnnualInvoiceSales)
{
    /// <summary>Composite public-credit score 0–1000 (§4).</summary>
    public int CompositeScore { get; init; } = 750;

    /// <summary>Latest tax credit rating in force; null when the enterprise has none.</summary>
    public TaxCreditLevel? TaxRating { get; init; }

    /// <summary>Monthly utility bills of the last twelve months on record.</summary>
    public int UtilityMonthsLast12 { get; init; }

    /// <summary>Share of those bills paid on time; 1 when there is no bill, because no bill is not a late bill.</summary>
    public double UtilityOnTimeRateLast12 { get; init; } = 1;

    /// <summary>Longest overdue period of those bills, in days.</summary>
    public int UtilityMaxOverdueDaysLast12 { get; init; }

    /// <summary>Months of social-insurance or provident-fund arrears still open (or recently cleared and still counting).</summary>
    public int SocialInsuranceArrearsMonths { get; init; }

    /// <summary>Administrative penalties decided in the last 24 months.</summary>
    public int PenaltiesLast24Months { get; init; }

    /// <summary>Of those, penalties of the serious publicity class.</summary>
    public int SeriousPenaltiesLast24Months { get; init; }

    /// <summary>Contract or debt disputes lost in court in the last 24 months.</summary>
    public int CourtLossesLast24Months { get; init; }

    /// <summary>Contracts with public or state-owned counterparties, bank loans among them, fulfilled in the last 24 months.</summary>
    public int ContractsFulfilledLast24Months { get; init; }

    /// <summary>Contracts, bank loans among them, breached in the last 24 months.</summary>
    public int ContractBreachesLast24Months { get; init; }

    /// <summary>Integrity warnings not yet resolved.</summary>
    public int OpenWarnings { get; init; }

    /// <summary>Under a restricted-consumption order (限制高消费).</summary>
    public bool RestrictedConsumption { get; init; }

    /// <summary>The instant of the evaluation the features were read from.</summary>
    public DateTimeOffset DataAsOf { get; init; }

    /// <summary>Version of the scoring rules that produced the evaluation.</summary>
    public string ScoringRulesVersion { get; init; } = "";
}

/// <summary>Outcome of an indicative pre-credit request.</summary>
public enum PreCreditOutcome
{
    /// <summary>APPROVE_INDICATIVE: a limit and a rate band are offered; the bank decides within 10 working days.</summary>
    ApproveIndicative,

    /// <summary>REFER: no automatic offer (PD beyond the bands or no limit); a bank officer looks at it.</summary>
    Refer,

    /// <summary>REJECT: a hard reject applies; the reasons travel with the decision.</summary>
    Reject,
}

/// <summary>Reason codes of a pre-credit decision. Rejections must carry reasons (DOMAIN §9).</summary>
public enum PreCreditReason
{
    /// <summary>R01: on a serious dishonesty list.</summary>
    R01SeriousDishonestyList,

    /// <summary>R02: dishonest judgment debtor.</summary>
    R02DishonestJudgmentDebtor,

    /// <summary>R03: abnormal taxpayer or tax rating D.</summary>
    R03AbnormalTaxpayerOrTaxD,

    /// <summary>R04: on the abnormal operations list.</summary>
    R04AbnormalOperations,

    /// <summary>R05: composite grade D.</summary>
    R05GradeD,

    /// <summary>R06: younger than the minimum age.</summary>
    R06TooYoung,

    /// <summary>R07: no tax declared in the last twelve months.</summary>
    R07NoTaxDeclared,

    /// <summary>PD at or above the last rate band: no automatic price.</summary>
    PdBeyondRateBands,

    /// <summary>The limit formula yields less than one rounding unit.</summary>
    NoIndicativeLimit,
}

/// <summary>The policy's answer.</summary>
/// <param name="Outcome">Approve, refer or reject.</param>
/// <param name="Reasons">Every hard reject that applies, or why the request was referred; empty on approval.</param>
/// <param name="Limit">Indicative limit in yuan (0 unless approved).</param>
/// <param name="RateBand">Indicative rate band (null unless approved).</param>
/// <param name="Pd">The probability of default the decision used.</param>
public sealed record PreCreditDecision(
    PreCreditOutcome Outcome, IReadOnlyList<PreCreditReason> Reasons, decimal Limit, RateBand? RateBand, double Pd);
