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
public abstract record EventDetails;

/// <summary>行政许可: a licence granted, valid until <see cref="ValidTo"/>.</summary>
public sealed record LicenceGranted(string LicenceType, DateOnly? ValidTo) : EventDetails;

/// <summary>行政处罚. The class sits on the envelope; <see cref="PenaltyTypes"/> drives inference when it is missing.</summary>
public sealed record PenaltyImposed(IReadOnlyList<PenaltyType> PenaltyTypes) : EventDetails;

/// <summary>行政强制, e.g. seizure or freezing; in force until <see cref="LiftedOn"/>.</summary>
public sealed record CompulsoryMeasureImposed(string Measure, DateOnly? LiftedOn) : EventDetails;

/// <summary>行政奖励 / commendation.</summary>
public sealed record RewardGranted(RewardLevel Level) : EventDetails;

/// <summary>行政确认, e.g. 高新技术企业 or 专精特新.</summary>
public sealed record ConfirmationGranted(string ConfirmationType, DateOnly? ValidTo) : EventDetails;

/// <summary>行政裁决.</summary>
public sealed record AdjudicationDecided(bool AgainstSubject) : EventDetails;

/// <summary>行政监督检查 / 双随机 result.</summary>
public sealed record InspectionCompleted(InspectionResult Result) : EventDetails;

/// <summary>严重失信主体名单 entry.</summary>
public sealed record SeriousDishonestyListed(string ListName, string Authority, int? ListPeriodMonths) : EventDetails;

/// <summary>Removal from a serious-dishonesty list by the listing authority.</summary>
public sealed record SeriousDishonestyRemoved(string ListName, string Authority) : EventDetails;

/// <summary>失信被执行人.</summary>
public sealed record DishonestJudgmentDebtorListed(string CaseNumber, string Court, JudgmentPerformance Performance) : EventDetails;

/// <summary>纳税信用等级, issued every April for the previous year; replaces the earlier rating.</summary>
public sealed record TaxCreditRated(TaxCreditLevel Level, int Year) : EventDetails;

/// <summary>水电气缴费 for one month.</summary>
public sealed record UtilityPaymentRecorded(UtilityKind Utility, string Month, int OverdueDays) : EventDetails;

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
