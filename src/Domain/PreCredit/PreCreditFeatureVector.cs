using System.Collections.Frozen;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.PreCredit;

/// <summary>
/// The model's view of <see cref="PreCreditFeatures"/>: named numbers in a fixed order. The names are the
/// training CSV's columns and the reason codes of a decision, so renaming one is a new model, not a refactoring.
/// </summary>
public static class PreCreditFeatureVector
{
    /// <summary>Column names in vector order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "composite_score",
        "tax_rating",
        "log_annual_tax_paid",
        "log_annual_invoice_sales",
        "age_months",
        "utility_months_12",
        "utility_on_time_rate_12",
        "utility_max_overdue_days_12",
        "social_insurance_arrears_months",
        "penalties_24m",
        "serious_penalties_24m",
        "court_losses_24m",
        "contracts_fulfilled_24m",
        "contract_breaches_24m",
        "open_warnings",
        "restricted_consumption",
    ];

    private static readonly FrozenDictionary<string, int> Index =
        Names.Select((name, i) => (name, i)).ToFrozenDictionary(p => p.name, p => p.i, StringComparer.Ordinal);

    /// <summary>Position of a column, or -1 when the vector has no such column.</summary>
    public static int IndexOf(string name) => Index.GetValueOrDefault(name, -1);

    /// <summary>The features as numbers in <see cref="Names"/> order.</summary>
    public static float[] ToVector(PreCreditFeatures f) =>
    [
        f.CompositeScore,
        TaxRatingRank(f.TaxRating),
        (float)Math.Log10(1 + (double)Math.Max(f.AnnualTaxPaid, 0m)),
        (float)Math.Log10(1 + (double)Math.Max(f.AnnualInvoiceSales, 0m)),
        f.AgeMonths,
        f.UtilityMonthsLast12,
        (float)f.UtilityOnTimeRateLast12,
        f.UtilityMaxOverdueDaysLast12,
        f.SocialInsuranceArrearsMonths,
        f.PenaltiesLast24Months,
        f.SeriousPenaltiesLast24Months,
        f.CourtLossesLast24Months,
        f.ContractsFulfilledLast24Months,
        f.ContractBreachesLast24Months,
        f.OpenWarnings,
        f.RestrictedConsumption ? 1 : 0,
    ];

    /// <summary>
    /// A rating as an ordered number, best highest (A 4, B 3, M 2, C 1, D 0), so a tree splits on "at least B";
    /// none is -1, below D, because an enterprise the tax bureau has never rated is the least known.
    /// </summary>
    public static float TaxRatingRank(TaxCreditLevel? level) => level switch
    {
        TaxCreditLevel.A => 4,
        TaxCreditLevel.B => 3,
        TaxCreditLevel.M => 2,
        TaxCreditLevel.C => 1,
        TaxCreditLevel.D => 0,
        _ => -1,
    };
}
