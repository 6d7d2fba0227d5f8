using System.Text.Json.Serialization;

namespace CreditGrid.Domain.Events;

/// <summary>
/// Kind-specific content of a credit record. The discriminator is a versioned alias
/// (<c>credit.penalty-imposed.v1</c>): a new shape gets a new alias, an old one is never reused.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(LicenceGranted), EventTypes.LicenceGranted)]
[JsonDerivedType(typeof(PenaltyImposed), EventTypes.PenaltyImposed)]
[JsonDerivedType(typeof(CompulsoryMeasureImposed), EventTypes.CompulsoryMeasureImposed)]
[JsonDerivedType(typeof(RewardGranted), EventTypes.RewardGranted)]
[JsonDerivedType(typeof(ConfirmationGranted), EventTypes.ConfirmationGranted)]
[JsonDerivedType(typeof(AdjudicationDecided), EventTypes.AdjudicationDecided)]
[JsonDerivedType(typeof(InspectionCompleted), EventTypes.InspectionCompleted)]
[JsonDerivedType(typeof(SeriousDishonestyListed), EventTypes.SeriousDishonestyListed)]
[JsonDerivedType(typeof(SeriousDishonestyRemoved), EventTypes.SeriousDishonestyRemoved)]
[JsonDerivedType(typeof(DishonestJudgmentDebtorListed), EventTypes.DishonestJudgmentDebtorListed)]
[JsonDerivedType(typeof(TaxCreditRated), EventTypes.TaxCreditRated)]
[JsonDerivedType(typeof(UtilityPaymentRecorded), EventTypes.UtilityPaymentRecorded)]
[JsonDerivedType(typeof(AbnormalOperationsListed), EventTypes.AbnormalOperationsListed)]
[JsonDerivedType(typeof(AbnormalOperationsRemoved), EventTypes.AbnormalOperationsRemoved)]
[JsonDerivedType(typeof(CourtJudgmentRecorded), EventTypes.CourtJudgmentRecorded)]
[JsonDerivedType(typeof(RestrictedConsumptionOrdered), EventTypes.RestrictedConsumptionOrdered)]
[JsonDerivedType(typeof(RestrictedConsumptionLifted), EventTypes.RestrictedConsumptionLifted)]
[JsonDerivedType(typeof(TaxArrearsRecorded), EventTypes.TaxArrearsRecorded)]
[JsonDerivedType(typeof(SocialInsuranceArrearsRecorded), EventTypes.SocialInsuranceArrearsRecorded)]
[JsonDerivedType(typeof(ArrearsCleared), EventTypes.ArrearsCleared)]
[JsonDerivedType(typeof(ContractPerformanceRecorded), EventTypes.ContractPerformanceRecorded)]
[JsonDerivedType(typeof(CommitmentMade), EventTypes.CommitmentMade)]
[JsonDerivedType(typeof(CommitmentBroken), EventTypes.CommitmentBroken)]
[JsonDerivedType(typeof(SelfDeclaredInformation), EventTypes.SelfDeclaredInformation)]
[JsonDerivedType(typeof(ObjectionOpened), EventTypes.ObjectionOpened)]
[JsonDerivedType(typeof(RepairCompleted), EventTypes.RepairCompleted)]
[JsonDerivedType(typeof(RedListed), EventTypes.RedListed)]
public abstract record EventDetails;

/// <summary>行政许可: a licence granted, valid until <see cref="ValidTo"/>.</summary>
public sealed record LicenceGranted([property: JsonConverter(typeof(RepeatedTextConverter))] string LicenceType, DateOnly? ValidTo) : EventDetails;

/// <summary>行政处罚. The class sits on the envelope; <see cref="PenaltyTypes"/> drives inference when it is missing.</summary>
public sealed record PenaltyImposed(IReadOnlyList<PenaltyType> PenaltyTypes) : EventDetails;

/// <summary>行政强制, e.g. seizure or freezing; in force until <see cref="LiftedOn"/>.</summary>
public sealed record CompulsoryMeasureImposed([property: JsonConverter(typeof(RepeatedTextConverter))] string Measure, DateOnly? LiftedOn) : EventDetails;

/// <summary>行政奖励 / commendation.</summary>
public sealed record RewardGranted(RewardLevel Level) : EventDetails;

/// <summary>行政确认, e.g. 高新技术企业 or 专精特新.</summary>
public sealed record ConfirmationGranted([property: JsonConverter(typeof(RepeatedTextConverter))] string ConfirmationType, DateOnly? ValidTo) : EventDetails;

/// <summary>行政裁决.</summary>
public sealed record AdjudicationDecided(bool AgainstSubject) : EventDetails;

/// <summary>行政监督检查 / 双随机 result.</summary>
public sealed record InspectionCompleted(InspectionResult Result) : EventDetails;

/// <summary>严重失信主体名单 entry.</summary>
public sealed record SeriousDishonestyListed([property: JsonConverter(typeof(RepeatedTextConverter))] string ListName, [property: JsonConverter(typeof(RepeatedTextConverter))] string Authority, int? ListPeriodMonths) : EventDetails;

/// <summary>Removal from a serious-dishonesty list by the listing authority.</summary>
public sealed record SeriousDishonestyRemoved([property: JsonConverter(typeof(RepeatedTextConverter))] string ListName, [property: JsonConverter(typeof(RepeatedTextConverter))] string Authority) : EventDetails;

/// <summary>失信被执行人.</summary>
public sealed record DishonestJudgmentDebtorListed(string CaseNumber, [property: JsonConverter(typeof(RepeatedTextConverter))] string Court, JudgmentPerformance Performance) : EventDetails;

/// <summary>纳税信用等级, issued every April for the previous year; replaces the earlier rating.</summary>
public sealed record TaxCreditRated(TaxCreditLevel Level, int Year) : EventDetails;

/// <summary>水电气缴费 for one month.</summary>
public sealed record UtilityPaymentRecorded(UtilityKind Utility, [property: JsonConverter(typeof(RepeatedTextConverter))] string Month, int OverdueDays) : EventDetails;

/// <summary>经营异常名录 entry; in force until an <see cref="AbnormalOperationsRemoved"/> from the same authority.</summary>
public sealed record AbnormalOperationsListed(AbnormalOperationsReason Reason, [property: JsonConverter(typeof(RepeatedTextConverter))] string Authority) : EventDetails;

/// <summary>Removal from the abnormal operations list after correction.</summary>
/// <param name="ListedRecordId">The listing it ends; null ends every listing by <paramref name="Authority"/>.</param>
public sealed record AbnormalOperationsRemoved([property: JsonConverter(typeof(RepeatedTextConverter))] string Authority, string? ListedRecordId) : EventDetails;

/// <summary>司法判决 in a civil case; only a loss in a contract or debt dispute lowers the score.</summary>
public sealed record CourtJudgmentRecorded(string CaseNumber, [property: JsonConverter(typeof(RepeatedTextConverter))] string Court, CaseType CaseType, bool SubjectLost) : EventDetails;

/// <summary>限制高消费 order, in force until a matching <see cref="RestrictedConsumptionLifted"/>.</summary>
public sealed record RestrictedConsumptionOrdered(string CaseNumber, [property: JsonConverter(typeof(RepeatedTextConverter))] string Court) : EventDetails;

/// <summary>The court lifted the restricted-consumption order of <see cref="CaseNumber"/>.</summary>
public sealed record RestrictedConsumptionLifted(string CaseNumber, [property: JsonConverter(typeof(RepeatedTextConverter))] string Court) : EventDetails;

/// <summary>欠税, or 非正常户 when <see cref="AbnormalTaxpayer"/> is set; in force until an <see cref="ArrearsCleared"/>.</summary>
public sealed record TaxArrearsRecorded(int? DaysOverdue, bool AbnormalTaxpayer) : EventDetails;

/// <summary>社保/公积金欠缴 of <see cref="Months"/> months; counts until cleared and for a while after.</summary>
public sealed record SocialInsuranceArrearsRecorded(int Months, int? Employees, bool ProvidentFund) : EventDetails;

/// <summary>Arrears of <see cref="Kind"/> were paid off.</summary>
/// <param name="TargetRecordId">The arrears record it clears; null clears every open arrears record of the kind.</param>
public sealed record ArrearsCleared(ArrearsKind Kind, string? TargetRecordId) : EventDetails;

/// <summary>合同履约 outcome of one contract.</summary>
public sealed record ContractPerformanceRecorded([property: JsonConverter(typeof(RepeatedTextConverter))] string Counterparty, CounterpartyKind CounterpartyKind, ContractOutcome Outcome, bool PublicProcurement) : EventDetails;

/// <summary>信用承诺 made publicly.</summary>
public sealed record CommitmentMade(CommitmentType CommitmentType, [property: JsonConverter(typeof(RepeatedTextConverter))] string Acceptor) : EventDetails;

/// <summary>承诺失信: a commitment was not kept.</summary>
/// <param name="CommitmentId">Id of the broken commitment, when known.</param>
/// <param name="ApprovalRevoked">The approval obtained through the commitment was revoked.</param>
/// <param name="Fraudulent">The commitment was false from the start, which makes the breach serious.</param>
public sealed record CommitmentBroken(string? CommitmentId, bool ApprovalRevoked, bool Fraudulent) : EventDetails;

/// <summary>自主申报 information; it only counts once verified, and lapses unless refreshed.</summary>
public sealed record SelfDeclaredInformation(DeclarationCategory Category, bool Verified) : EventDetails;

/// <summary>异议 against record <see cref="TargetRecordId"/>.</summary>
/// <param name="Status">Only <see cref="ObjectionStatus.ErrorConfirmed"/> freezes the target's effect.</param>
public sealed record ObjectionOpened(string TargetRecordId, ObjectionStatus Status) : EventDetails;

/// <summary>信用修复 completed: record <see cref="TargetRecordId"/> leaves the public score.</summary>
public sealed record RepairCompleted(string TargetRecordId) : EventDetails;

/// <summary>守信激励对象 / 红名单 entry (e.g. A-class taxpayer, AEO), counted while listed.</summary>
public sealed record RedListed([property: JsonConverter(typeof(RepeatedTextConverter))] string ListName, DateOnly? ValidTo) : EventDetails;

public enum PenaltyType
{
    Warning,
    Fine,
    ConfiscationOfIllegalGains,
    SuspensionOfBusiness,
    LicenceRevocation,
    QualificationDowngrade,
    PracticeBan,
    ClosureOrder,
    Detention,
    AggravatedFine,
}

public enum RewardLevel
{
    National,
    Provincial,
    City,
}

public enum InspectionResult
{
    NoProblem,
    RectificationOrdered,
    NotPublishedAsRequired,
    CannotBeLocated,
}

public enum JudgmentPerformance
{
    None,
    Partial,
}

public enum TaxCreditLevel
{
    A,
    B,
    M,
    C,
    D,
}

public enum UtilityKind
{
    Water,
    Electricity,
    Gas,
}

public enum AbnormalOperationsReason
{
    AnnualReportNotFiled,
    InformationNotPublished,
    FalseInformation,
    CannotBeLocated,
}

public enum CaseType
{
    ContractDispute,
    DebtDispute,
    Other,
}

public enum ArrearsKind
{
    Tax,
    SocialInsurance,
}

public enum CounterpartyKind
{
    Government,
    StateOwned,
    Private,
}

public enum ContractOutcome
{
    Fulfilled,
    Breached,
}

public enum CommitmentType
{
    Voluntary,
    InPlaceOfApproval,
}

public enum DeclarationCategory
{
    Qualification,
    Operations,
    ContractPerformance,
    Award,
    SocialResponsibility,
    PublicWelfare,
}

public enum ObjectionStatus
{
    Filed,
    ErrorConfirmed,
    Upheld,
}
