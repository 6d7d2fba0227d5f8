using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>DOMAIN §6: every event-driven trigger with its severity, de-duplication, and the warning lifecycle.</summary>
public sealed class WarningTests
{
    private static readonly DateOnly Decided = Day(2026, 6, 1);
    private static readonly DateTimeOffset Now = At(2026, 6, 1);

    private static readonly Dictionary<string, (Func<CreditEvent[]> Records, string RuleId, WarningSeverity Severity)> Triggers = new()
    {
        ["added to a serious dishonesty list"] = (() => [Record(new SeriousDishonestyListed("List", "SAMR", null), Decided)], WarningRuleIds.SeriousDishonesty, WarningSeverity.Red),
        ["became a dishonest judgment debtor"] = (() => [Record(new DishonestJudgmentDebtorListed("1", "Court", JudgmentPerformance.None), Decided)], WarningRuleIds.SeriousDishonesty, WarningSeverity.Red),
        ["became an abnormal taxpayer"] = (() => [Record(new TaxArrearsRecorded(null, true), Decided)], WarningRuleIds.SeriousDishonesty, WarningSeverity.Red),
        ["grade fell to D"] = (() => [Record(new SeriousDishonestyListed("List", "SAMR", null), Decided)], WarningRuleIds.GradeFellToD, WarningSeverity.Red),
        ["score dropped 150 within 30 days"] = (() => [SeriousPenalty(Decided), SeriousPenalty(Decided)], WarningRuleIds.ScoreDropCritical, WarningSeverity.Red),
        ["serious-class penalty"] = (() => [SeriousPenalty(Decided)], WarningRuleIds.SeriousPenalty, WarningSeverity.Orange),
        ["commitment broken"] = (() => [Record(new CommitmentBroken(null, false, false), Decided)], WarningRuleIds.CommitmentBroken, WarningSeverity.Orange),
        ["tax rating D"] = (() => [Record(new TaxCreditRated(TaxCreditLevel.D, 2025), Decided)], WarningRuleIds.TaxRatingD, WarningSeverity.Orange),
        ["grade downgraded one level"] = (() => [SeriousPenalty(Decided)], WarningRuleIds.GradeDowngraded, WarningSeverity.Orange),
        ["score dropped 80 within 30 days"] = (() => [SeriousPenalty(Decided)], WarningRuleIds.ScoreDropHigh, WarningSeverity.Orange),
        ["abnormal operations list"] = (() => [Record(new AbnormalOperationsListed(AbnormalOperationsReason.FalseInformation, "AMR"), Decided)], WarningRuleIds.AbnormalOperationsListed, WarningSeverity.Orange),
        ["two general penalties within 12 months"] = (() => [GeneralPenalty(Day(2025, 9, 1)), GeneralPenalty(Decided)], WarningRuleIds.RepeatedGeneralPenalties, WarningSeverity.Yellow),
        ["tax rating C"] = (() => [Record(new TaxCreditRated(TaxCreditLevel.C, 2025), Decided)], WarningRuleIds.TaxRatingC, WarningSeverity.Yellow),
        ["utility arrears three consecutive months"] = (() =>
        [
            Record(new UtilityPaymentRecorded(UtilityKind.Gas, "2026-03", 20), Day(2026, 4, 5)),
            Record(new UtilityPaymentRecorded(UtilityKind.Gas, "2026-04", 20), Day(2026, 5, 5)),
            Record(new UtilityPaymentRecorded(UtilityKind.Gas, "2026-05", 20), Decided),
        ], WarningRuleIds.UtilityArrears, WarningSeverity.Yellow),
        ["social insurance arrears three months"] = (() => [Record(new SocialInsuranceArrearsRecorded(3, 12, false), Decided)], WarningRuleIds.SocialInsuranceArrears, WarningSeverity.Yellow),
        ["annual report overdue"] = (() => [Record(new AbnormalOperationsListed(AbnormalOperationsReason.AnnualReportNotFiled, "AMR"), Decided)], WarningRuleIds.AnnualReportOverdue, WarningSeverity.Blue),
        ["objection filed"] = (() => [GeneralPenalty(Decided, id: "OBJ-1"), Record(new ObjectionOpened("OBJ-1", ObjectionStatus.Filed), Decided)], WarningRuleIds.ObjectionFiled, WarningSeverity.Blue),
        ["licence expiring within 30 days"] = (() => [Record(new LicenceGranted("Pharmacy", Day(2026, 6, 20)), Day(2021, 6, 20))], WarningRuleIds.LicenceExpiring, WarningSeverity.Blue),
    };

    public static TheoryData<string> TriggerNames => [.. Triggers.Keys];

    [Theory]
    [MemberData(nameof(TriggerNames))]
    public void TriggerRaisesItsWarningWithItsSeverity(string name)
    {
        var (records, ruleId, severity) = Triggers[name];

        var state = Fold(Now, records());

        var warning = Assert.Single(state.Warnings, w => w.RuleId == ruleId);
        Assert.Equal(severity, warning.Severity);
        Assert.Equal(WarningStatus.Open, warning.Status);
        Assert.StartsWith(Subject + "/W", warning.Id);
    }

    [Fact]
    public void QuietRecordsRaiseNothing()
    {
        var state = Fold(Now, Record(new TaxCreditRated(TaxCreditLevel.B, 2025), Decided), GeneralPenalty(Decided), Record(new SocialInsuranceArrearsRecorded(2, 3, false), Decided));

        Assert.Empty(state.Warnings);
    }

    [Fact]
    public void MinimumPublicityPeriodEndingPromptsThatRepairIsAllowed()
    {
        var state = Fold(Now, GeneralPenalty(Decided));

        Assert.False(Evaluator.Reevaluate(state, At(2026, 8, 31)).Has(WarningRuleIds.RepairAllowed));
        Assert.True(Evaluator.Reevaluate(state, At(2026, 9, 1)).Has(WarningRuleIds.RepairAllowed));
    }

    [Fact]
    public void SameRuleIsRaisedOnceWithinTwentyFourHours()
    {
        var first = Fold(Now, SeriousPenalty(Decided));
        var sameDay = FoldOnto(first, Now.AddHours(23), SeriousPenalty(Decided));
        var nextDay = FoldOnto(sameDay, Now.AddHours(25), SeriousPenalty(Decided));

        Assert.Equal(1, sameDay.Count(WarningRuleIds.SeriousPenalty));
        Assert.Equal(2, nextDay.Count(WarningRuleIds.SeriousPenalty));
    }

    [Fact]
    public void StandingConditionIsRaisedOnlyWhenItStarts()
    {
        var state = Fold(Now, GeneralPenalty(Day(2026, 3, 1)), GeneralPenalty(Decided));
        var third = FoldOnto(state, Now.AddDays(3), GeneralPenalty(Decided));

        Assert.Equal(1, third.Count(WarningRuleIds.RepeatedGeneralPenalties));
    }

    [Fact]
    public void OldRecordsReplayedLateDoNotRaiseEventWarnings()
    {
        var state = Fold(Now, Record(new PenaltyImposed([PenaltyType.ClosureOrder]), Day(2020, 1, 1), PublicityClass.Serious));

        Assert.Empty(state.Warnings);
    }

    [Fact]
    public void WarningMovesFromOpenThroughAcknowledgedToResolved()
    {
        var state = Fold(Now, SeriousPenalty(Decided));
        var id = state.Warnings.Single(w => w.RuleId == WarningRuleIds.SeriousPenalty).Id;

        var acknowledged = Evaluator.ApplyWarningAction(state, id, WarningAction.Acknowledge, Now.AddHours(1));
        var resolved = Evaluator.ApplyWarningAction(acknowledged.State, id, WarningAction.Resolve, Now.AddHours(2));

        Assert.True(acknowledged.Succeeded);
        Assert.True(resolved.Succeeded);
        var warning = resolved.State.Warnings.Single(w => w.Id == id);
        Assert.Equal(WarningStatus.Resolved, warning.Status);
        Assert.Equal(Now.AddHours(2), warning.StatusChangedAt);
    }

    [Theory]
    [InlineData(WarningStatus.Open, WarningAction.Acknowledge, WarningStatus.Acknowledged)]
    [InlineData(WarningStatus.Acknowledged, WarningAction.Resolve, WarningStatus.Resolved)]
    [InlineData(WarningStatus.Acknowledged, WarningAction.Escalate, WarningStatus.Escalated)]
    [InlineData(WarningStatus.Open, WarningAction.Resolve, null)]
    [InlineData(WarningStatus.Open, WarningAction.Escalate, null)]
    [InlineData(WarningStatus.Acknowledged, WarningAction.Acknowledge, null)]
    [InlineData(WarningStatus.Resolved, WarningAction.Escalate, null)]
    [InlineData(WarningStatus.Escalated, WarningAction.Resolve, null)]
    public void LifecycleAllowsOnlyItsTransitions(WarningStatus from, WarningAction action, WarningStatus? to)
    {
        var warning = new IntegrityWarning(WarningRuleIds.TaxRatingC, WarningSeverity.Yellow, "Tax C", Now, null) { Status = from };

        var result = WarningLifecycle.Apply(warning, action, Now);

        Assert.Equal(to, result.Warning?.Status);
        Assert.Equal(to is null ? WarningActionError.NotAllowedFromStatus : null, result.Error);
    }

    [Fact]
    public void UnknownWarningIdIsRefusedWithoutChangingTheState()
    {
        var state = Fold(Now, SeriousPenalty(Decided));

        var result = Evaluator.ApplyWarningAction(state, "nope", WarningAction.Acknowledge, Now);

        Assert.Equal(WarningActionError.UnknownWarning, result.Error);
        Assert.Same(state, result.State);
    }
}
