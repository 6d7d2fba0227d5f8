using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>DOMAIN §4.3: grade bands, the one-vote-veto overrides and the §5 tier each grade maps to.</summary>
public sealed class GradeOverrideTests
{
    private static readonly DateOnly Decided = Day(2026, 6, 1);
    private static readonly DateTimeOffset Now = At(2026, 6, 1);

    private static readonly Dictionary<string, (EventDetails Details, PublicityClass? Class, CreditGrade Expected)> Overrides = new()
    {
        ["serious dishonesty list forces D"] = (new SeriousDishonestyListed("Serious illegal dishonesty", "SAMR", null), null, CreditGrade.D),
        ["dishonest judgment debtor forces D"] = (new DishonestJudgmentDebtorListed("(2026)1", "Court", JudgmentPerformance.Partial), null, CreditGrade.D),
        ["abnormal taxpayer forces D"] = (new TaxArrearsRecorded(null, AbnormalTaxpayer: true), null, CreditGrade.D),
        ["tax rating D caps at C"] = (new TaxCreditRated(TaxCreditLevel.D, 2026), null, CreditGrade.C),
        ["abnormal operations list caps at C"] = (new AbnormalOperationsListed(AbnormalOperationsReason.InformationNotPublished, "Xi'an AMR"), null, CreditGrade.C),
        ["serious penalty caps at C"] = (new PenaltyImposed([PenaltyType.PracticeBan]), PublicityClass.Serious, CreditGrade.C),
        ["general penalty caps at B"] = (new PenaltyImposed([PenaltyType.Fine]), PublicityClass.General, CreditGrade.B),
    };

    public static TheoryData<string> OverrideNames => [.. Overrides.Keys];

    [Theory]
    [MemberData(nameof(OverrideNames))]
    public void OverrideHoldsTheGradeBelowWhatTheScoreEarns(string name)
    {
        var (details, cls, expected) = Overrides[name];
        var exemplary = Fold(Now, Exemplary(Decided));
        Assert.Equal(895, exemplary.Score);
        Assert.Equal(CreditGrade.A, exemplary.Grade);

        var state = FoldOnto(exemplary, Now, Record(details, Decided, cls));

        Assert.Equal(expected, state.Grade);
        Assert.True(state.BandGrade < expected, $"band {state.BandGrade} should be better than the cap {expected}");
        Assert.Equal(expected == CreditGrade.D, state.SeriouslyDishonest);
        Assert.Contains(Evaluator.Explain(state).Caps, c => c.Cap == expected);
    }

    [Theory]
    [InlineData(850, CreditGrade.A)]
    [InlineData(849, CreditGrade.B)]
    [InlineData(700, CreditGrade.B)]
    [InlineData(699, CreditGrade.C)]
    [InlineData(550, CreditGrade.C)]
    [InlineData(549, CreditGrade.D)]
    [InlineData(0, CreditGrade.D)]
    [InlineData(1000, CreditGrade.A)]
    public void ScoreBandsFollowTheThresholds(int score, CreditGrade expected) =>
        Assert.Equal(expected, CreditRules.Default.BandFor(score));

    [Theory]
    [InlineData(CreditGrade.A, SupervisionTier.Low, 0.02, null)]
    [InlineData(CreditGrade.B, SupervisionTier.General, 0.05, null)]
    [InlineData(CreditGrade.C, SupervisionTier.RelativelyHigh, 0.15, 24)]
    [InlineData(CreditGrade.D, SupervisionTier.High, 0.50, 12)]
    public void EachGradeMapsToItsTierSamplingRatioAndMinimumFrequency(CreditGrade grade, SupervisionTier tier, double ratio, int? everyMonths)
    {
        var policy = CreditRules.Default.SupervisionFor(grade);

        Assert.Equal(tier, policy.Tier);
        Assert.Equal(ratio, policy.SamplingRatio, 3);
        Assert.Equal(everyMonths, policy.MinInspectionEveryMonths);
        Assert.InRange(policy.SamplingRatio, policy.SamplingRatioMin, policy.SamplingRatioMax);
    }

    [Fact]
    public void ForcedGradeDPutsTheSubjectInTheHighRiskTier()
    {
        var state = Fold(Now, Record(new DishonestJudgmentDebtorListed("(2026)1", "Court", JudgmentPerformance.None), Decided));

        Assert.Equal(CreditGrade.D, state.Grade);
        Assert.Equal(SupervisionTier.High, state.Tier);
    }

    [Fact]
    public void HundredPointViewIsTheScoreOverTen()
    {
        var state = Fold(Now, Exemplary(Decided));

        Assert.Equal(89.5m, state.HundredPointScore);
    }

    [Fact]
    public void ExplanationOrdersRecordsByTheSizeOfTheirEffect()
    {
        var state = Fold(Now, GeneralPenalty(Decided), SeriousPenalty(Decided), Record(new RewardGranted(RewardLevel.City), Decided));

        var reasons = Evaluator.Explain(state).Reasons;

        Assert.Equal([-120, -30, 10], reasons.Select(r => r.PointsNow));
        Assert.Equal(Day(2029, 6, 1), reasons[0].EffectEnds);
        Assert.All(reasons, r => Assert.NotEqual(Dimension.BasicAttributes, r.Dimension));
    }
}
