using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>DOMAIN §3.3: minimum and maximum publicity per class under the dated rule sets, and class inference.</summary>
public sealed class PublicityPeriodTests
{
    private static readonly PublicityRules Publicity = CreditRules.Default.Publicity;

    [Theory]
    [InlineData("2023-05-01", "ndrc-order-58", PublicityClass.Minor, 0, 0)]
    [InlineData("2023-05-01", "ndrc-order-58", PublicityClass.General, 3, 12)]
    [InlineData("2023-05-01", "ndrc-order-58", PublicityClass.Serious, 12, 36)]
    [InlineData("2026-03-31", "ndrc-order-58", PublicityClass.Minor, 0, 0)]
    [InlineData("2026-03-31", "ndrc-order-58", PublicityClass.General, 3, 12)]
    [InlineData("2026-03-31", "ndrc-order-58", PublicityClass.Serious, 12, 36)]
    [InlineData("2026-04-01", "ndrc-order-36", PublicityClass.Minor, 0, 3)]
    [InlineData("2026-04-01", "ndrc-order-36", PublicityClass.General, 3, 12)]
    [InlineData("2026-04-01", "ndrc-order-36", PublicityClass.Serious, 12, 36)]
    [InlineData("2021-01-01", "ndrc-order-58", PublicityClass.General, 3, 12)]
    public void DecisionDateSelectsTheRuleSetAndItsPeriods(string decided, string ruleSet, PublicityClass cls, int minMonths, int maxMonths)
    {
        var set = Publicity.For(DateOnly.Parse(decided));

        Assert.Equal(ruleSet, set.Id);
        Assert.Equal(new PublicityPeriod(minMonths, maxMonths), set.For(cls));
    }

    [Theory]
    [InlineData(PublicityClass.General, 2026, 9, 1, 2027, 6, 1)]
    [InlineData(PublicityClass.Serious, 2027, 6, 1, 2029, 6, 1)]
    public void PenaltyDecaysOverTheMaximumPeriodAndAllowsRepairAfterTheMinimum(PublicityClass cls, int minY, int minM, int minD, int maxY, int maxM, int maxD)
    {
        var state = Fold(At(2026, 6, 1), Record(new PenaltyImposed([PenaltyType.Fine]), Day(2026, 6, 1), cls));

        var effect = Assert.Single(state.Records);
        Assert.Equal(Day(minY, minM, minD), effect.MinPeriodEnds);
        Assert.Equal(Day(maxY, maxM, maxD), effect.EffectEnds);
    }

    [Theory]
    [InlineData(new[] { PenaltyType.Warning }, PublicityClass.Minor)]
    [InlineData(new[] { PenaltyType.Fine }, PublicityClass.General)]
    [InlineData(new[] { PenaltyType.Warning, PenaltyType.Fine }, PublicityClass.General)]
    [InlineData(new[] { PenaltyType.Fine, PenaltyType.SuspensionOfBusiness }, PublicityClass.Serious)]
    [InlineData(new[] { PenaltyType.Detention }, PublicityClass.Serious)]
    [InlineData(new[] { PenaltyType.AggravatedFine }, PublicityClass.Serious)]
    public void MissingClassIsInferredFromPenaltyTypesAndTheLongestPeriodWins(PenaltyType[] types, PublicityClass expected)
    {
        var state = Fold(At(2026, 6, 1), Record(new PenaltyImposed(types), Day(2026, 6, 1)));

        Assert.Equal(expected, Assert.Single(state.Records).PublicityClass);
    }

    [Fact]
    public void ProvidersClassIsKeptWhenGiven()
    {
        var state = Fold(At(2026, 6, 1), Record(new PenaltyImposed([PenaltyType.SuspensionOfBusiness]), Day(2026, 6, 1), PublicityClass.General));

        Assert.Equal(PublicityClass.General, Assert.Single(state.Records).PublicityClass);
    }

    [Fact]
    public void SeriousListUncorrectedAfterItsPeriodKeepsHalfWeightAndIsFlagged()
    {
        var listed = Fold(At(2026, 6, 1), Record(new SeriousDishonestyListed("Serious illegal dishonesty", "SAMR", 36), Day(2026, 6, 1)));

        var later = Evaluator.Reevaluate(listed, At(2029, 6, 1));

        var effect = Assert.Single(later.Records);
        Assert.True(effect.UnresolvedAfterMax);
        Assert.Equal(-150, effect.PointsNow);
        Assert.Equal(120, later.Dimensions.LawCompliance);
        Assert.NotEqual(CreditGrade.D, later.Grade);
        Assert.True(Evaluator.Explain(later).Reasons.Single().UnresolvedAfterMax);
    }

    [Fact]
    public void SeriousListRemovedByTheAuthorityEndsItsEffect()
    {
        var state = Fold(At(2026, 6, 1),
            Record(new SeriousDishonestyListed("Serious illegal dishonesty", "SAMR", 36), Day(2026, 6, 1)),
            Record(new SeriousDishonestyRemoved("Serious illegal dishonesty", "SAMR"), Day(2026, 6, 1)));

        Assert.Equal(750, state.Score);
        Assert.False(state.SeriouslyDishonest);
        Assert.False(Evaluator.Reevaluate(state, At(2029, 7, 1)).Records.Any(r => r.UnresolvedAfterMax));
    }
}
