using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.Tests.PreCredit;

public sealed class PreCreditDeciderTests
{
    private static readonly PreCreditPolicy Policy = new();

    // A five-year-old grade-B enterprise that pays ¥100k tax a year on ¥2M invoiced sales: limit basis ¥500k.
    private static readonly PreCreditFeatures Clean = new(
        OnSeriousDishonestyList: false,
        DishonestJudgmentDebtor: false,
        AbnormalTaxpayer: false,
        TaxRatingD: false,
        OnAbnormalOperationsList: false,
        Grade: CreditGrade.B,
        AgeMonths: 60,
        MonthsWithTaxDeclaredLast12: 12,
        AnnualTaxPaid: 100_000m,
        AnnualInvoiceSales: 2_000_000m);

    public static TheoryData<string, PreCreditFeatures, PreCreditReason> HardRejectCases => new()
    {
        { "serious list", Clean with { OnSeriousDishonestyList = true }, PreCreditReason.R01SeriousDishonestyList },
        { "dishonest debtor", Clean with { DishonestJudgmentDebtor = true }, PreCreditReason.R02DishonestJudgmentDebtor },
        { "abnormal taxpayer", Clean with { AbnormalTaxpayer = true }, PreCreditReason.R03AbnormalTaxpayerOrTaxD },
        { "tax D", Clean with { TaxRatingD = true }, PreCreditReason.R03AbnormalTaxpayerOrTaxD },
        { "abnormal operations", Clean with { OnAbnormalOperationsList = true }, PreCreditReason.R04AbnormalOperations },
        { "grade D", Clean with { Grade = CreditGrade.D }, PreCreditReason.R05GradeD },
        { "eleven months old", Clean with { AgeMonths = 11 }, PreCreditReason.R06TooYoung },
        { "no tax declared", Clean with { MonthsWithTaxDeclaredLast12 = 0 }, PreCreditReason.R07NoTaxDeclared },
    };

    [Theory]
    [MemberData(nameof(HardRejectCases))]
    public void EachHardRejectRejectsWithItsReasonCode(string name, PreCreditFeatures features, PreCreditReason expected)
    {
        var decision = PreCreditDecider.Decide(features, pd: 0.001, Policy);

        Assert.Equal(PreCreditOutcome.Reject, decision.Outcome);
        Assert.Equal([expected], decision.Reasons);
        Assert.Equal(0m, decision.Limit);
        Assert.Null(decision.RateBand);
        Assert.NotEmpty(name);
    }

    [Fact]
    public void EveryApplicableRejectReasonIsReported()
    {
        var features = Clean with { OnSeriousDishonestyList = true, Grade = CreditGrade.D, AgeMonths = 3 };

        var decision = PreCreditDecider.Decide(features, 0.5, Policy);

        Assert.Equal(
            [PreCreditReason.R01SeriousDishonestyList, PreCreditReason.R05GradeD, PreCreditReason.R06TooYoung],
            decision.Reasons);
    }

    [Fact]
    public void MinimumAgeIsConfigurable()
    {
        var decision = PreCreditDecider.Decide(Clean with { AgeMonths = 8 }, 0.001, Policy with { MinimumAgeMonths = 6 });

        Assert.Equal(PreCreditOutcome.ApproveIndicative, decision.Outcome);
    }

    [Theory]
    // grade, tax, sales, pd, expected limit
    [InlineData(CreditGrade.B, 100_000, 2_000_000, 0.0, 500_000)] // max(500k, 300k) × 1.0 × 1
    [InlineData(CreditGrade.A, 100_000, 2_000_000, 0.0, 600_000)] // × 1.2
    [InlineData(CreditGrade.C, 100_000, 2_000_000, 0.0, 300_000)] // × 0.6
    [InlineData(CreditGrade.B, 10_000, 4_000_000, 0.0, 600_000)] // sales basis wins: 0.15 × 4M
    [InlineData(CreditGrade.B, 100_000, 0, 0.02, 400_000)] // m_PD = 1 − 10 × 0.02 = 0.8
    [InlineData(CreditGrade.B, 123_457, 0, 0.0, 610_000)] // 617,285 rounded down to ¥10k
    [InlineData(CreditGrade.A, 1_000_000, 0, 0.0, 3_000_000)] // 6M capped at the product cap
    [InlineData(CreditGrade.B, 100_000, 0, 0.10, 0)] // m_PD clipped at 0
    [InlineData(CreditGrade.B, 1_000, 0, 0.0, 0)] // ¥5k rounds down to nothing
    public void IndicativeLimitFollowsTheFormula(CreditGrade grade, int tax, int sales, double pd, int expected)
    {
        var features = Clean with { Grade = grade, AnnualTaxPaid = tax, AnnualInvoiceSales = sales };

        Assert.Equal(expected, PreCreditDecider.IndicativeLimit(features, pd, Policy));
    }

    [Theory]
    // grade, pd, expected band (0 = none)
    [InlineData(CreditGrade.A, 0.005, 1)]
    [InlineData(CreditGrade.A, 0.02, 2)] // A but PD only good enough for band 2
    [InlineData(CreditGrade.B, 0.005, 2)] // low PD but grade B caps at band 2
    [InlineData(CreditGrade.B, 0.0299, 2)]
    [InlineData(CreditGrade.B, 0.03, 3)]
    [InlineData(CreditGrade.C, 0.001, 3)]
    [InlineData(CreditGrade.A, 0.0599, 3)]
    [InlineData(CreditGrade.A, 0.06, 0)] // PD at 6% leaves the bands
    [InlineData(CreditGrade.D, 0.001, 0)]
    public void RateBandIsTheWorseOfGradeAndPd(CreditGrade grade, double pd, int expected)
    {
        var band = PreCreditDecider.RateBandFor(grade, pd, Policy);

        Assert.Equal(expected, band?.Band ?? 0);
    }

    [Fact]
    public void FirstBandIsLprPlusZeroToFiftyBasisPoints() =>
        Assert.Equal(new RateBand(1, 0, 50), PreCreditDecider.RateBandFor(CreditGrade.A, 0.001, Policy));

    [Fact]
    public void CleanEnterpriseWithLowPdGetsAnIndicativeOffer()
    {
        var decision = PreCreditDecider.Decide(Clean, 0.02, Policy);

        Assert.Equal(PreCreditOutcome.ApproveIndicative, decision.Outcome);
        Assert.Empty(decision.Reasons);
        Assert.Equal(400_000m, decision.Limit);
        Assert.Equal(new RateBand(2, 50, 150), decision.RateBand);
        Assert.Equal(0.02, decision.Pd);
    }

    [Fact]
    public void PdBeyondTheBandsIsReferredNotRejected()
    {
        var decision = PreCreditDecider.Decide(Clean, 0.08, Policy);

        Assert.Equal(PreCreditOutcome.Refer, decision.Outcome);
        Assert.Equal([PreCreditReason.PdBeyondRateBands], decision.Reasons);
    }

    [Fact]
    public void NoLimitIsReferred()
    {
        var decision = PreCreditDecider.Decide(Clean with { AnnualTaxPaid = 0, AnnualInvoiceSales = 0 }, 0.001, Policy);

        Assert.Equal(PreCreditOutcome.Refer, decision.Outcome);
        Assert.Equal([PreCreditReason.NoIndicativeLimit], decision.Reasons);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void PdOutsideZeroToOneIsABug(double pd) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PreCreditDecider.Decide(Clean, pd, Policy));
}
