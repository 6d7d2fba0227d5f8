using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

// PLACEHOLDER — replaced by the real fold; public members are the contract.
public sealed class CreditEvaluator(CreditRules rules)
{
    public CreditRules Rules { get; } = rules;

    public SubjectEvaluation Initial(string subjectId, DateTimeOffset now) =>
        new() { SubjectId = subjectId, Score = 750, AsOf = now, RulesVersion = Rules.Version };

    public SubjectEvaluation Evolve(SubjectEvaluation state, LoggedCreditEvent logged, DateTimeOffset now) =>
        logged.SubjectSequence <= state.LastAppliedSequence ? state : state with { LastAppliedSequence = logged.SubjectSequence, AsOf = now };

    public SubjectEvaluation Reevaluate(SubjectEvaluation state, DateTimeOffset now) => state with { AsOf = now };

    public DateTimeOffset? NextScheduledChange(SubjectEvaluation state) => null;
}

public sealed record CreditRules(string Version)
{
    public static CreditRules Default { get; } = new("placeholder");
}
