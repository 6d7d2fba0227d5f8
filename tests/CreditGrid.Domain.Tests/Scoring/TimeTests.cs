using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>What time alone does, at explicit instants across years, and when the evaluator says it will happen.</summary>
public sealed class TimeTests
{
    [Theory]
    [InlineData(2026, 6, 1, -30.0)]
    [InlineData(2026, 12, 1, -14.96)]
    [InlineData(2027, 5, 31, -0.08)]
    [InlineData(2027, 6, 1, 0.0)]
    [InlineData(2028, 6, 1, 0.0)]
    public void GeneralPenaltyDecaysLinearlyToZeroAtOneYear(int year, int month, int day, double expected)
    {
        var state = Fold(At(2026, 6, 1), GeneralPenalty(Day(2026, 6, 1)));

        var later = Evaluator.Reevaluate(state, At(year, month, day));

        Assert.Equal(expected, later.Records.Sum(r => r.PointsNow), 2);
        Assert.Equal(750 + (int)Math.Round(expected, MidpointRounding.AwayFromZero), later.Score);
    }

    [Fact]
    public void GeneralPenaltyLeavesTheRecordsOnceItsYearIsOver()
    {
        var state = Fold(At(2026, 6, 1), GeneralPenalty(Day(2026, 6, 1)));

        Assert.Empty(Evaluator.Reevaluate(state, At(2027, 6, 1)).Records);
    }

    [Fact]
    public void SeriousPenaltyCapsGradeAtCForTwelveMonths()
    {
        var state = Fold(At(2026, 6, 1), [.. Exemplary(Day(2026, 6, 1)), SeriousPenalty(Day(2026, 6, 1))]);
        Assert.Equal(CreditGrade.C, state.Grade);

        var lastCappedMinute = Evaluator.Reevaluate(state, new DateTimeOffset(2027, 5, 31, 23, 59, 0, China));
        var anniversary = Evaluator.Reevaluate(lastCappedMinute, Midnight(2027, 6, 1));

        Assert.Equal(CreditGrade.C, lastCappedMinute.Grade);
        Assert.Equal(CreditGrade.B, anniversary.Grade);
        Assert.Equal(SupervisionTier.General, anniversary.Tier);
    }

    [Fact]
    public void GeneralPenaltyStopsCappingAtBAfterTwelveMonths()
    {
        var decided = Day(2026, 6, 1);
        var state = Fold(At(2026, 6, 1), [.. Exemplary(decided), GeneralPenalty(decided)]);
        Assert.Equal(CreditGrade.B, state.Grade);

        Assert.Equal(CreditGrade.A, Evaluator.Reevaluate(state, Midnight(2027, 6, 1)).Grade);
    }

    [Fact]
    public void LicenceExpiryWarningIsRaisedThirtyDaysBeforeAndScheduledForThatMoment()
    {
        var state = Fold(At(2026, 6, 1), Record(new LicenceGranted("Food business", Day(2027, 3, 1)), Day(2026, 6, 1)));
        state = Evaluator.Reevaluate(state, At(2027, 1, 15));

        Assert.Equal(Midnight(2027, 1, 30), Evaluator.NextScheduledChange(state));
        Assert.False(Evaluator.Reevaluate(state, Midnight(2027, 1, 30).AddMinutes(-1)).Has(WarningRuleIds.LicenceExpiring));

        var due = Evaluator.Reevaluate(state, Midnight(2027, 1, 30));

        var warning = Assert.Single(due.Warnings);
        Assert.Equal(WarningRuleIds.LicenceExpiring, warning.RuleId);
        Assert.Equal(WarningSeverity.Blue, warning.Severity);
        Assert.Equal(Midnight(2027, 3, 1), Evaluator.NextScheduledChange(due));
    }

    [Fact]
    public void LicenceExpiredWithoutRenewalRaisesABlueNoticeAndStopsCounting()
    {
        var state = Fold(At(2026, 6, 1), Record(new LicenceGranted("Food business", Day(2027, 3, 1)), Day(2026, 6, 1)));

        var expired = Evaluator.Reevaluate(state, At(2027, 3, 1));

        Assert.True(expired.Has(WarningRuleIds.LicenceExpired));
        Assert.Equal(40, expired.Dimensions.Qualifications);
    }

    [Fact]
    public void RenewedLicenceRaisesNoExpiryWarning()
    {
        var state = Fold(At(2027, 1, 10),
            Record(new LicenceGranted("Food business", Day(2027, 3, 1)), Day(2022, 3, 1)),
            Record(new LicenceGranted("Food business", Day(2032, 3, 1)), Day(2027, 1, 5)));

        var later = Evaluator.Reevaluate(state, At(2027, 3, 2));

        Assert.False(later.Has(WarningRuleIds.LicenceExpiring));
        Assert.False(later.Has(WarningRuleIds.LicenceExpired));
        Assert.Equal(45, later.Dimensions.Qualifications);
    }

    [Fact]
    public void AbnormalListingWarnsSixtyDaysBeforeTheThreeYearEscalationAndThenForcesD()
    {
        var state = Fold(At(2026, 6, 1), Record(new AbnormalOperationsListed(AbnormalOperationsReason.CannotBeLocated, "Xi'an AMR"), Day(2026, 6, 1)));
        state = Evaluator.Reevaluate(state, At(2028, 12, 1));

        Assert.Equal(Midnight(2029, 4, 2), Evaluator.NextScheduledChange(state));

        var warned = Evaluator.Reevaluate(state, Midnight(2029, 4, 2));
        Assert.True(warned.Has(WarningRuleIds.AbnormalEscalationDue));
        Assert.Equal(WarningSeverity.Orange, warned.Warnings.Single(w => w.RuleId == WarningRuleIds.AbnormalEscalationDue).Severity);
        Assert.Equal(CreditGrade.C, warned.Grade);
        Assert.Equal(Midnight(2029, 6, 1), Evaluator.NextScheduledChange(warned));

        var escalated = Evaluator.Reevaluate(warned, Midnight(2029, 6, 1));
        Assert.Equal(CreditGrade.D, escalated.Grade);
        Assert.True(escalated.SeriouslyDishonest);
        Assert.True(escalated.Has(WarningRuleIds.SeriousDishonesty));
    }

    [Fact]
    public void AbnormalListingRemovedBeforeEscalationNeverEscalates()
    {
        var state = Fold(At(2026, 6, 1),
            Record(new AbnormalOperationsListed(AbnormalOperationsReason.CannotBeLocated, "Xi'an AMR"), Day(2026, 6, 1)),
            Record(new AbnormalOperationsRemoved("Xi'an AMR", null), Day(2026, 6, 1)));

        var later = Evaluator.Reevaluate(state, At(2029, 7, 1));

        Assert.Equal(CreditGrade.B, later.Grade);
        Assert.Null(Evaluator.NextScheduledChange(later));
    }

    [Fact]
    public void NextScheduledChangeFollowsDecayDayByDay()
    {
        var state = Fold(At(2026, 6, 1), GeneralPenalty(Day(2026, 6, 1)));

        var next = Evaluator.NextScheduledChange(state);

        Assert.NotNull(next);
        var before = Evaluator.Reevaluate(state, next.Value.AddMinutes(-1));
        var at = Evaluator.Reevaluate(state, next.Value);
        Assert.Equal(state.Score, before.Score);
        Assert.NotEqual(state.Score, at.Score);
    }

    [Fact]
    public void SubjectWithNothingTimedHasNoScheduledChange()
    {
        var state = Fold(At(2026, 6, 1), Record(new CommitmentMade(CommitmentType.Voluntary, "Dept"), Day(2026, 6, 1)));

        Assert.Null(Evaluator.NextScheduledChange(state));
    }

    [Fact]
    public void RewardCountsFullyForThreeYearsThenDecays()
    {
        var state = Fold(At(2026, 6, 1), Record(new RewardGranted(RewardLevel.Provincial), Day(2026, 6, 1)));

        Assert.Equal(65, Evaluator.Reevaluate(state, At(2029, 5, 31)).Dimensions.Qualifications);
        Assert.True(Evaluator.Reevaluate(state, At(2029, 12, 1)).Dimensions.Qualifications is > 40 and < 65);
        Assert.Equal(40, Evaluator.Reevaluate(state, At(2030, 6, 1)).Dimensions.Qualifications);
    }

    [Fact]
    public void NewRulesVersionRescoresTheKeptRecords()
    {
        var json = RulesFileTests.DefaultJson()
            .Replace("\"version\": \"2026.2\"", "\"version\": \"2026.3\"")
            .Replace("\"General\": { \"points\": -30", "\"General\": { \"points\": -50");
        var next = new CreditEvaluator(CreditRules.Parse(json).Rules!);
        var state = Fold(At(2026, 6, 1), GeneralPenalty(Day(2026, 6, 1)));

        var rescored = next.Reevaluate(state, At(2026, 6, 1));

        Assert.Equal("2026.3", rescored.RulesVersion);
        Assert.Equal(700, rescored.Score);
    }
}
