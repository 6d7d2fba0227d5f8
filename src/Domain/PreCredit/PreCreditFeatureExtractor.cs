using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.PreCredit;

/// <summary>
/// Reads <see cref="PreCreditFeatures"/> from a subject's folded evaluation. The live decision and the training-set
/// generator both call this one function, so a model is trained on exactly the features it is later asked about.
/// </summary>
/// <remarks>
/// Conventions of the records that carry financial data (the event taxonomy has no separate kinds for them):
/// the tax credit rating's <c>amount</c> is the tax paid in the rated year; a verified self-declared
/// <c>Operations</c> record's <c>amount</c> is the VAT-invoiced sales of the last twelve months; a bank loan is a
/// contract-performance record with the bank as counterparty and the principal as <c>amount</c>; the business
/// licence (营业执照) dates the enterprise's establishment.
/// </remarks>
public static class PreCreditFeatureExtractor
{
    /// <summary>Licence type whose decision date is the establishment date.</summary>
    public const string BusinessLicence = "营业执照";

    /// <summary>How old a tax rating may be, in years before the current one, and still count as current.</summary>
    private const int TaxRatingYearsCurrent = 2;

    /// <summary>The features on the local day of the evaluation's <see cref="SubjectEvaluation.AsOf"/> under <paramref name="rules"/>.</summary>
    public static PreCreditFeatures Extract(SubjectEvaluation evaluation, CreditRules rules) =>
        Extract(evaluation, ScoreMath.LocalDate(evaluation.AsOf, rules.LocalUtcOffset));

    /// <summary>The features of <paramref name="evaluation"/> on <paramref name="today"/> (local date of the rules).</summary>
    public static PreCreditFeatures Extract(SubjectEvaluation evaluation, DateOnly today)
    {
        var from12 = today.AddMonths(-12);
        var from24 = today.AddMonths(-24);
        bool serious = false, debtor = false, abnormalTaxpayer = false, abnormalOperations = false, restricted = false;
        RecordEffect? rating = null;
        RecordEffect? sales = null;
        DateOnly? established = null;
        DateOnly? earliest = null;
        int utilityMonths = 0, utilityOnTime = 0, utilityMaxOverdue = 0, arrearsMonths = 0;
        int penalties = 0, seriousPenalties = 0, courtLosses = 0, fulfilled = 0, breaches = 0;

        foreach (var r in evaluation.Records)
        {
            if (!ScoreMath.Counts(r))
            {
                continue;
            }

            earliest = earliest is { } e && e <= r.DecisionDate ? e : r.DecisionDate;
            var active = r.Status == RecordStatus.Active && ScoreMath.InEffect(r, today);
            switch (r.Source?.Details)
            {
                case SeriousDishonestyListed:
                    serious |= active;
                    break;
                case DishonestJudgmentDebtorListed:
                    debtor |= active;
                    break;
                case TaxArrearsRecorded t:
                    abnormalTaxpayer |= active && t.AbnormalTaxpayer;
                    break;
                case AbnormalOperationsListed:
                    abnormalOperations |= active;
                    break;
                case RestrictedConsumptionOrdered:
                    restricted |= active;
                    break;
                case TaxCreditRated when r.Status == RecordStatus.Active:
                    rating = rating is null || r.OrderKey > rating.OrderKey ? r : rating;
                    break;
                case SelfDeclaredInformation { Category: DeclarationCategory.Operations, Verified: true } when active:
                    sales = sales is null || r.DecisionDate > sales.DecisionDate ? r : sales;
                    break;
                case LicenceGranted { LicenceType: BusinessLicence }:
                    established = established is { } b && b <= r.DecisionDate ? b : r.DecisionDate;
                    break;
                case UtilityPaymentRecorded u when r.DecisionDate > from12:
                    utilityMonths++;
                    utilityOnTime += u.OverdueDays <= 0 ? 1 : 0;
                    utilityMaxOverdue = Math.Max(utilityMaxOverdue, u.OverdueDays);
                    break;
                case SocialInsuranceArrearsRecorded s when ScoreMath.InEffect(r, today):
                    arrearsMonths = Math.Max(arrearsMonths, s.Months);
                    break;
                case PenaltyImposed when r.DecisionDate > from24:
                    penalties++;
                    seriousPenalties += r.PublicityClass == PublicityClass.Serious ? 1 : 0;
                    break;
                case CourtJudgmentRecorded { SubjectLost: true, CaseType: not CaseType.Other } when r.DecisionDate > from24:
                    courtLosses++;
                    break;
                case ContractPerformanceRecorded c when r.DecisionDate > from24:
                    fulfilled += c.Outcome == ContractOutcome.Fulfilled ? 1 : 0;
                    breaches += c.Outcome == ContractOutcome.Breached ? 1 : 0;
                    break;
            }
        }

        var ratingDetails = rating?.Source?.Details as TaxCreditRated;
        var currentRating = ratingDetails is not null && ratingDetails.Year >= today.Year - TaxRatingYearsCurrent ? rating : null;
        var taxPaid = currentRating?.Source?.Amount ?? 0m;
        var since = established ?? earliest ?? today;
        return new PreCreditFeatures(
            OnSeriousDishonestyList: serious,
            DishonestJudgmentDebtor: debtor,
            AbnormalTaxpayer: abnormalTaxpayer,
            TaxRatingD: ratingDetails?.Level == TaxCreditLevel.D,
            OnAbnormalOperationsList: abnormalOperations,
            Grade: evaluation.Grade,
            AgeMonths: MonthsBetween(since, today),

            // The grid receives tax data as the annual rating with the tax paid: a current rating with tax paid means
            // the enterprise declared through the year; a monthly declaration feed would refine this count.
            MonthsWithTaxDeclaredLast12: taxPaid > 0m ? 12 : 0,
            AnnualTaxPaid: taxPaid,
            AnnualInvoiceSales: sales?.Source?.Amount ?? 0m)
        {
            CompositeScore = evaluation.Score,
            TaxRating = ratingDetails?.Level,
            UtilityMonthsLast12 = utilityMonths,
            UtilityOnTimeRateLast12 = utilityMonths == 0 ? 1 : (double)utilityOnTime / utilityMonths,
            UtilityMaxOverdueDaysLast12 = utilityMaxOverdue,
            SocialInsuranceArrearsMonths = arrearsMonths,
            PenaltiesLast24Months = penalties,
            SeriousPenaltiesLast24Months = seriousPenalties,
            CourtLossesLast24Months = courtLosses,
            ContractsFulfilledLast24Months = fulfilled,
            ContractBreachesLast24Months = breaches,
            OpenWarnings = evaluation.Warnings.Count(w => w.Status is WarningStatus.Open or WarningStatus.Acknowledged or WarningStatus.Escalated),
            RestrictedConsumption = restricted,
            DataAsOf = evaluation.AsOf,
            ScoringRulesVersion = evaluation.RulesVersion,
        };
    }

    /// <summary>Whole months from <paramref name="from"/> to <paramref name="to"/>, never negative.</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = ((to.Year - from.Year) * 12) + to.Month - from.Month - (to.Day < from.Day ? 1 : 0);
        return Math.Max(months, 0);
    }
}
