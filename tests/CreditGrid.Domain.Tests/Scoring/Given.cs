using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>Builders for records and instants; instants are Shaanxi local time, where decision dates live.</summary>
internal static class Given
{
    public const string Subject = "91610000MA6TG1234X";

    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static readonly CreditEvaluator Evaluator = new(CreditRules.Default);

    private static long recordCounter;

    public static DateTimeOffset At(int year, int month, int day, int hour = 12) => new(year, month, day, hour, 0, 0, China);

    public static DateTimeOffset Midnight(int year, int month, int day) => new(year, month, day, 0, 0, 0, China);

    public static DateOnly Day(int year, int month, int day) => new(year, month, day);

    public static CreditEvent Record(
        EventDetails details,
        DateOnly decided,
        PublicityClass? publicityClass = null,
        decimal? amount = null,
        DateOnly? effectiveTo = null,
        string? id = null) => new()
        {
            RecordId = id ?? $"R-{Interlocked.Increment(ref recordCounter)}",
            SubjectId = Subject,
            SubjectType = SubjectType.Enterprise,
            SourceDepartment = "11610000000000000X",
            DecisionDate = decided,
            PublicityClass = publicityClass,
            Amount = amount,
            EffectiveTo = effectiveTo,
            Details = details,
        };

    /// <summary>A fresh subject at <paramref name="now"/> with the records folded in order, all at <paramref name="now"/>.</summary>
    public static SubjectEvaluation Fold(DateTimeOffset now, params CreditEvent[] records) => FoldOnto(Evaluator.Initial(Subject, now), now, records);

    public static SubjectEvaluation FoldOnto(SubjectEvaluation state, DateTimeOffset now, params CreditEvent[] records)
    {
        foreach (var record in records)
        {
            state = Evaluator.Evolve(state, new LoggedCreditEvent(state.LastAppliedSequence + 1, record), now);
        }

        return state;
    }

    public static CreditEvent GeneralPenalty(DateOnly decided, decimal? fine = null, string? id = null) =>
        Record(new PenaltyImposed([PenaltyType.Fine]), decided, PublicityClass.General, fine, id: id);

    public static CreditEvent SeriousPenalty(DateOnly decided, string? id = null) =>
        Record(new PenaltyImposed([PenaltyType.SuspensionOfBusiness]), decided, PublicityClass.Serious, id: id);

    /// <summary>
    /// Positives worth 895 points with the shipped rules (grade A): tax A, a national reward, a red list entry,
    /// three clean inspections, verified public-welfare work, public contracts and commitments, so that a cap
    /// can be seen holding the grade below the score's band.
    /// </summary>
    public static CreditEvent[] Exemplary(DateOnly decided) =>
    [
        Record(new TaxCreditRated(TaxCreditLevel.A, decided.Year - 1), decided),
        Record(new RewardGranted(RewardLevel.National), decided),
        Record(new RedListed("A-class taxpayer", null), decided),
        Record(new InspectionCompleted(InspectionResult.NoProblem), decided),
        Record(new InspectionCompleted(InspectionResult.NoProblem), decided),
        Record(new InspectionCompleted(InspectionResult.NoProblem), decided),
        Record(new SelfDeclaredInformation(DeclarationCategory.PublicWelfare, Verified: true), decided),
        Record(new ContractPerformanceRecorded("Xi'an Metro", CounterpartyKind.StateOwned, ContractOutcome.Fulfilled, false), decided),
        Record(new ContractPerformanceRecorded("Shaanxi DRC", CounterpartyKind.Government, ContractOutcome.Fulfilled, true), decided),
        Record(new ContractPerformanceRecorded("Xi'an Water", CounterpartyKind.StateOwned, ContractOutcome.Fulfilled, false), decided),
        Record(new ContractPerformanceRecorded("Yan'an Gas", CounterpartyKind.StateOwned, ContractOutcome.Fulfilled, false), decided),
        Record(new CommitmentMade(CommitmentType.Voluntary, "Shaanxi DRC"), decided),
        Record(new CommitmentMade(CommitmentType.Voluntary, "Xi'an AMR"), decided),
        Record(new CommitmentMade(CommitmentType.Voluntary, "Xi'an Tax"), decided),
        Record(new CommitmentMade(CommitmentType.Voluntary, "Xi'an HRSS"), decided),
        Record(new CommitmentMade(CommitmentType.Voluntary, "Xi'an EPB"), decided),
    ];

    public static bool Has(this SubjectEvaluation state, string ruleId) => state.Warnings.Any(w => w.RuleId == ruleId);

    public static int Count(this SubjectEvaluation state, string ruleId) => state.Warnings.Count(w => w.RuleId == ruleId);
}
