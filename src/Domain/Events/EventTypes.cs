namespace CreditGrid.Domain.Events;

/// <summary>The versioned wire names of every event kind; they appear in the API, the log and grain state.</summary>
public static class EventTypes
{
    public const string LicenceGranted = "credit.licence-granted.v1";
    public const string PenaltyImposed = "credit.penalty-imposed.v1";
    public const string CompulsoryMeasureImposed = "credit.compulsory-measure-imposed.v1";
    public const string RewardGranted = "credit.reward-granted.v1";
    public const string ConfirmationGranted = "credit.confirmation-granted.v1";
    public const string AdjudicationDecided = "credit.adjudication-decided.v1";
    public const string InspectionCompleted = "credit.inspection-completed.v1";
    public const string SeriousDishonestyListed = "credit.serious-dishonesty-listed.v1";
    public const string SeriousDishonestyRemoved = "credit.serious-dishonesty-removed.v1";
    public const string DishonestJudgmentDebtorListed = "credit.dishonest-judgment-debtor-listed.v1";
    public const string TaxCreditRated = "credit.tax-credit-rated.v1";
    public const string UtilityPaymentRecorded = "credit.utility-payment-recorded.v1";
    public const string AbnormalOperationsListed = "credit.abnormal-operations-listed.v1";
    public const string AbnormalOperationsRemoved = "credit.abnormal-operations-removed.v1";
    public const string CourtJudgmentRecorded = "credit.court-judgment-recorded.v1";
    public const string RestrictedConsumptionOrdered = "credit.restricted-consumption-ordered.v1";
    public const string RestrictedConsumptionLifted = "credit.restricted-consumption-lifted.v1";
    public const string TaxArrearsRecorded = "credit.tax-arrears-recorded.v1";
    public const string SocialInsuranceArrearsRecorded = "credit.social-insurance-arrears-recorded.v1";
    public const string ArrearsCleared = "credit.arrears-cleared.v1";
    public const string ContractPerformanceRecorded = "credit.contract-performance-recorded.v1";
    public const string CommitmentMade = "credit.commitment-made.v1";
    public const string CommitmentBroken = "credit.commitment-broken.v1";
    public const string SelfDeclaredInformation = "credit.self-declared-information.v1";
    public const string ObjectionOpened = "credit.objection-opened.v1";
    public const string RepairCompleted = "credit.repair-completed.v1";
    public const string RedListed = "credit.red-listed.v1";

    /// <summary>Every alias above, so configuration can refuse a name that no event carries.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        LicenceGranted, PenaltyImposed, CompulsoryMeasureImposed, RewardGranted, ConfirmationGranted,
        AdjudicationDecided, InspectionCompleted, SeriousDishonestyListed, SeriousDishonestyRemoved,
        DishonestJudgmentDebtorListed, TaxCreditRated, UtilityPaymentRecorded, AbnormalOperationsListed,
        AbnormalOperationsRemoved, CourtJudgmentRecorded, RestrictedConsumptionOrdered, RestrictedConsumptionLifted,
        TaxArrearsRecorded, SocialInsuranceArrearsRecorded, ArrearsCleared, ContractPerformanceRecorded,
        CommitmentMade, CommitmentBroken, SelfDeclaredInformation, ObjectionOpened, RepairCompleted, RedListed,
    };

    /// <summary>The alias of a details instance, as its <c>type</c> discriminator says on the wire.</summary>
    public static string Of(EventDetails details) =>
        TryOf(details) ?? throw new ArgumentOutOfRangeException(nameof(details), details.GetType().Name, "Event details without a registered alias.");

    /// <summary>The alias of a details instance, or null for a shape this assembly does not know.</summary>
    public static string? TryOf(EventDetails details) => details switch
    {
        Events.LicenceGranted => LicenceGranted,
        Events.PenaltyImposed => PenaltyImposed,
        Events.CompulsoryMeasureImposed => CompulsoryMeasureImposed,
        Events.RewardGranted => RewardGranted,
        Events.ConfirmationGranted => ConfirmationGranted,
        Events.AdjudicationDecided => AdjudicationDecided,
        Events.InspectionCompleted => InspectionCompleted,
        Events.SeriousDishonestyListed => SeriousDishonestyListed,
        Events.SeriousDishonestyRemoved => SeriousDishonestyRemoved,
        Events.DishonestJudgmentDebtorListed => DishonestJudgmentDebtorListed,
        Events.TaxCreditRated => TaxCreditRated,
        Events.UtilityPaymentRecorded => UtilityPaymentRecorded,
        Events.AbnormalOperationsListed => AbnormalOperationsListed,
        Events.AbnormalOperationsRemoved => AbnormalOperationsRemoved,
        Events.CourtJudgmentRecorded => CourtJudgmentRecorded,
        Events.RestrictedConsumptionOrdered => RestrictedConsumptionOrdered,
        Events.RestrictedConsumptionLifted => RestrictedConsumptionLifted,
        Events.TaxArrearsRecorded => TaxArrearsRecorded,
        Events.SocialInsuranceArrearsRecorded => SocialInsuranceArrearsRecorded,
        Events.ArrearsCleared => ArrearsCleared,
        Events.ContractPerformanceRecorded => ContractPerformanceRecorded,
        Events.CommitmentMade => CommitmentMade,
        Events.CommitmentBroken => CommitmentBroken,
        Events.SelfDeclaredInformation => SelfDeclaredInformation,
        Events.ObjectionOpened => ObjectionOpened,
        Events.RepairCompleted => RepairCompleted,
        Events.RedListed => RedListed,
        _ => null,
    };
}
