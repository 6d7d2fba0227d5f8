using System.Collections.Frozen;
using System.Collections.Immutable;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>
/// What the code knows how to tell apart: the sub-cases of each scored kind and the warning triggers. The rules
/// file must give numbers for exactly these, so a typo in the file is refused instead of silently scoring zero.
/// </summary>
public static class ScoringCatalog
{
    /// <summary>Scored event kinds and the variants the evaluator selects between.</summary>
    public static FrozenDictionary<string, ImmutableArray<string>> Variants { get; } = new Dictionary<string, ImmutableArray<string>>
    {
        [EventTypes.LicenceGranted] = ["Valid"],
        [EventTypes.PenaltyImposed] = ["Minor", "General", "Serious"],
        [EventTypes.CompulsoryMeasureImposed] = ["Active"],
        [EventTypes.RewardGranted] = ["National", "Provincial", "City"],
        [EventTypes.ConfirmationGranted] = ["Major", "Standard"],
        [EventTypes.AdjudicationDecided] = ["Against"],
        [EventTypes.InspectionCompleted] = ["NoProblem", "RectificationOrdered", "NotPublishedAsRequired", "CannotBeLocated"],
        [EventTypes.SeriousDishonestyListed] = ["Listed"],
        [EventTypes.DishonestJudgmentDebtorListed] = ["Listed"],
        [EventTypes.TaxCreditRated] = ["A", "B", "M", "C", "D"],
        [EventTypes.UtilityPaymentRecorded] = ["OnTime", "Late", "Overdue"],
        [EventTypes.AbnormalOperationsListed] = ["Listed"],
        [EventTypes.CourtJudgmentRecorded] = ["Lost"],
        [EventTypes.RestrictedConsumptionOrdered] = ["Active"],
        [EventTypes.TaxArrearsRecorded] = ["Arrears", "AbnormalTaxpayer"],
        [EventTypes.SocialInsuranceArrearsRecorded] = ["Short", "Long"],
        [EventTypes.ContractPerformanceRecorded] = ["PublicFulfilled", "Breach", "PublicProcurementBreach"],
        [EventTypes.CommitmentMade] = ["Made"],
        [EventTypes.CommitmentBroken] = ["Broken", "ApprovalRevoked", "Fraudulent"],
        [EventTypes.SelfDeclaredInformation] = ["Unverified", "Verified", "VerifiedPublicWelfare"],
        [EventTypes.RedListed] = ["Listed"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Warning rule ids of DOMAIN §6 and the thresholds each one needs from the file.</summary>
    public static FrozenDictionary<string, ImmutableArray<string>> WarningParameters { get; } = new Dictionary<string, ImmutableArray<string>>
    {
        [WarningRuleIds.SeriousDishonesty] = [],
        [WarningRuleIds.GradeFellToD] = [],
        [WarningRuleIds.ScoreDropCritical] = ["points", "days"],
        [WarningRuleIds.SeriousPenalty] = [],
        [WarningRuleIds.CommitmentBroken] = [],
        [WarningRuleIds.TaxRatingD] = [],
        [WarningRuleIds.GradeDowngraded] = [],
        [WarningRuleIds.ScoreDropHigh] = ["points", "days"],
        [WarningRuleIds.AbnormalOperationsListed] = [],
        [WarningRuleIds.AbnormalEscalationDue] = ["days"],
        [WarningRuleIds.RepeatedGeneralPenalties] = ["count", "months"],
        [WarningRuleIds.TaxRatingC] = [],
        [WarningRuleIds.UtilityArrears] = ["months"],
        [WarningRuleIds.SocialInsuranceArrears] = ["months"],
        [WarningRuleIds.LicenceExpiring] = ["days"],
        [WarningRuleIds.LicenceExpired] = ["days"],
        [WarningRuleIds.AnnualReportOverdue] = [],
        [WarningRuleIds.ObjectionFiled] = [],
        [WarningRuleIds.RepairAllowed] = ["days"],
        [WarningRuleIds.GovernmentJudgmentDebtor] = [],
        [WarningRuleIds.GovernmentCommitmentBroken] = [],
        [WarningRuleIds.SmeArrears] = [],
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

/// <summary>Stable ids of the 诚信预警 triggers; de-duplication is per (subject, rule id).</summary>
public static class WarningRuleIds
{
    public const string SeriousDishonesty = "SeriousDishonesty";
    public const string GradeFellToD = "GradeFellToD";
    public const string ScoreDropCritical = "ScoreDropCritical";
    public const string SeriousPenalty = "SeriousPenalty";
    public const string CommitmentBroken = "CommitmentBroken";
    public const string TaxRatingD = "TaxRatingD";
    public const string GradeDowngraded = "GradeDowngraded";
    public const string ScoreDropHigh = "ScoreDropHigh";
    public const string AbnormalOperationsListed = "AbnormalOperationsListed";
    public const string AbnormalEscalationDue = "AbnormalEscalationDue";
    public const string RepeatedGeneralPenalties = "RepeatedGeneralPenalties";
    public const string TaxRatingC = "TaxRatingC";
    public const string UtilityArrears = "UtilityArrears";
    public const string SocialInsuranceArrears = "SocialInsuranceArrears";
    public const string LicenceExpiring = "LicenceExpiring";
    public const string LicenceExpired = "LicenceExpired";
    public const string AnnualReportOverdue = "AnnualReportOverdue";
    public const string ObjectionFiled = "ObjectionFiled";
    public const string RepairAllowed = "RepairAllowed";

    // 政务诚信监测预警 (DOMAIN §6, §7.1): the parallel set raised for government organs and public institutions.

    /// <summary>A government body became a dishonest judgment debtor (政府机构失信被执行人).</summary>
    public const string GovernmentJudgmentDebtor = "GovernmentJudgmentDebtor";

    /// <summary>A government commitment (investment promotion, PPP, a public credit commitment) was broken.</summary>
    public const string GovernmentCommitmentBroken = "GovernmentCommitmentBroken";

    /// <summary>A government body breached a contract with a private enterprise (拖欠中小企业账款).</summary>
    public const string SmeArrears = "SmeArrears";
}
