using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>DOMAIN §6 and §7.1: the parallel warning set (政务诚信监测预警) raised for government organs and public institutions.</summary>
public sealed class GovernmentWarningTests
{
    /// <summary>A government organ (category 11) of Xi'an; the evaluator reads the category from the code.</summary>
    private const string Organ = "11610100MB1234567X";

    private static readonly DateOnly Decided = Day(2026, 6, 1);
    private static readonly DateTimeOffset Now = At(2026, 6, 1);

    public static TheoryData<string, string, WarningSeverity> Rows => new()
    {
        { "judgment-debtor", WarningRuleIds.GovernmentJudgmentDebtor, WarningSeverity.Red },
        { "commitment", WarningRuleIds.GovernmentCommitmentBroken, WarningSeverity.Orange },
        { "sme-arrears", WarningRuleIds.SmeArrears, WarningSeverity.Orange },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void GovernmentRecordRaisesTheGovernmentWarning(string row, string ruleId, WarningSeverity severity)
    {
        var state = FoldFor(Organ, RecordFor(row));

        var warning = Assert.Single(state.Warnings, w => w.RuleId == ruleId);
        Assert.Equal(severity, warning.Severity);
        Assert.StartsWith(Organ + "/W", warning.Id);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EnterprisesDoNotGetGovernmentWarnings(string row, string ruleId, WarningSeverity severity)
    {
        _ = severity;
        var state = FoldFor(Subject, RecordFor(row));

        Assert.DoesNotContain(state.Warnings, w => w.RuleId == ruleId);
    }

    [Fact]
    public void ContractsFulfilledOrWithTheStateRaiseNothing()
    {
        var state = FoldFor(
            Organ,
            Record(new ContractPerformanceRecorded("某国有企业", CounterpartyKind.StateOwned, ContractOutcome.Breached, PublicProcurement: true), Decided),
            Record(new ContractPerformanceRecorded("西安某科技有限公司", CounterpartyKind.Private, ContractOutcome.Fulfilled, PublicProcurement: true), Decided));

        Assert.DoesNotContain(state.Warnings, w => w.RuleId == WarningRuleIds.SmeArrears);
    }

    [Fact]
    public void SeverityComesFromTheRulesFile()
    {
        var json = RulesFileTests.DefaultJson()
            .Replace("\"GovernmentCommitmentBroken\": {\n        \"severity\": \"Orange\"", "\"GovernmentCommitmentBroken\": {\n        \"severity\": \"Red\"");
        var rules = CreditRules.Parse(json).Rules!;

        Assert.Equal(WarningSeverity.Red, rules.Warnings[WarningRuleIds.GovernmentCommitmentBroken].Severity);
    }

    private static CreditEvent RecordFor(string row) => row switch
    {
        "judgment-debtor" => Record(new DishonestJudgmentDebtorListed("(2026)陕01执123号", "西安市中级人民法院", JudgmentPerformance.None), Decided),
        "commitment" => Record(new CommitmentBroken("PPP-2024-07", ApprovalRevoked: false, Fraudulent: false), Decided),
        "sme-arrears" => Record(new ContractPerformanceRecorded("西安某科技有限公司", CounterpartyKind.Private, ContractOutcome.Breached, PublicProcurement: true), Decided),
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    private static SubjectEvaluation FoldFor(string subjectId, params CreditEvent[] records)
    {
        var state = Evaluator.Initial(subjectId, Now);
        foreach (var record in records)
        {
            state = Evaluator.Evolve(state, new LoggedCreditEvent(state.LastAppliedSequence + 1, record with { SubjectId = subjectId }), Now);
        }

        return state;
    }
}
