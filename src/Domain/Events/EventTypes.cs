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
}
