using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.PreCredit;

/// <summary>
/// The pure pre-credit policy of DOMAIN §9: hard rejects, indicative limit and rate band from enterprise
/// features and a model's PD. No model, clock or I/O here, so every rule is testable as a table.
/// </summary>
public static class PreCreditDecider
{
    /// <summary>Decides one request.</summary>
    /// <exception cref="ArgumentOutOfRangeException">PD is not a probability; that is a bug upstream, not an outcome.</exception>
    public static PreCreditDecision Decide(PreCreditFeatures features, double pd, PreCreditPolicy policy)
    {
        if (double.IsNaN(pd) || pd is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pd), pd, "PD must be a probability in [0, 1]");
        }

        var rejects = HardRejects(features, policy);
        if (rejects.Count > 0)
        {
            return new PreCreditDecision(PreCreditOutcome.Reject, rejects, 0m, null, pd);
        }

        var band = RateBandFor(features.Grade, pd, policy);
        if (band is null)
        {
            return new PreCreditDecision(PreCreditOutcome.Refer, [PreCreditReason.PdBeyondRateBands], 0m, null, pd);
        }

        var limit = IndicativeLimit(features, pd, policy);
        return limit <= 0m
            ? new PreCreditDecision(PreCreditOutcome.Refer, [PreCreditReason.NoIndicativeLimit], 0m, null, pd)
            : new PreCreditDecision(PreCreditOutcome.ApproveIndicative, [], limit, band, pd);
    }

    /// <summary>All hard rejects R01–R07 that apply, in code order; all of them, because the applicant is owed every reason.</summary>
    public static IReadOnlyList<PreCreditReason> HardRejects(PreCreditFeatures features, PreCreditPolicy policy)
    {
        var reasons = new List<PreCreditReason>();
        if (features.OnSeriousDishonestyList)
        {
            reasons.Add(PreCreditReason.R01SeriousDishonestyList);
        }

        if (features.DishonestJudgmentDebtor)
        {
            reasons.Add(PreCreditReason.R02DishonestJudgmentDebtor);
        }

        if (features.AbnormalTaxpayer || features.TaxRatingD)
        {
            reasons.Add(PreCreditReason.R03AbnormalTaxpayerOrTaxD);
        }

        if (features.OnAbnormalOperationsList)
        {
            reasons.Add(PreCreditReason.R04AbnormalOperations);
        }

        if (features.Grade == CreditGrade.D)
        {
            reasons.Add(PreCreditReason.R05GradeD);
        }

        if (features.AgeMonths < policy.MinimumAgeMonths)
        {
            reasons.Add(PreCreditReason.R06TooYoung);
        }

        if (features.MonthsWithTaxDeclaredLast12 <= 0)
        {
            reasons.Add(PreCreditReason.R07NoTaxDeclared);
        }

        return reasons;
    }

    /// <summary>
    /// L = min(productCap, max(k_tax·annualTax, k_sales·annualInvoiceSales)·m_grade·m_PD), rounded down to the
    /// rounding unit, with m_PD = clip(1 − slope·PD, 0, 1).
    /// </summary>
    public static decimal IndicativeLimit(PreCreditFeatures features, double pd, PreCreditPolicy policy)
    {
        var basis = Math.Max(policy.TaxMultiple * Math.Max(features.AnnualTaxPaid, 0m), policy.SalesMultiple * Math.Max(features.AnnualInvoiceSales, 0m));
        var pdMultiplier = Math.Clamp(1m - (policy.PdSlope * (decimal)pd), 0m, 1m);
        var limit = Math.Min(policy.ProductCap, basis * policy.GradeMultiplier(features.Grade) * pdMultiplier);
        return Math.Floor(limit / policy.LimitRoundingUnit) * policy.LimitRoundingUnit;
    }

    /// <summary>
    /// The band is the worse of what the grade allows (A → 1, B → 2, C → 3) and what the PD allows
    /// (&lt; 1% → 1, &lt; 3% → 2, &lt; 6% → 3, otherwise none). This reads DOMAIN's "A plus PD &lt; 1%; B or PD &lt; 3%;
    /// C or PD &lt; 6%" so that neither a good grade nor a low PD alone buys a better price than the other permits.
    /// </summary>
    public static RateBand? RateBandFor(CreditGrade grade, double pd, PreCreditPolicy policy)
    {
        int? gradeBand = grade switch
        {
            CreditGrade.A => 1,
            CreditGrade.B => 2,
            CreditGrade.C => 3,
            _ => null,
        };
        int? pdBand = pd < policy.FirstBandMaxPd ? 1
            : pd < policy.SecondBandMaxPd ? 2
            : pd < policy.ThirdBandMaxPd ? 3
            : null;
        if (gradeBand is null || pdBand is null)
        {
            return null;
        }

        var band = Math.Max(gradeBand.Value, pdBand.Value);
        return policy.Bands.FirstOrDefault(b => b.Band == band);
    }
}
