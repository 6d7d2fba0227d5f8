using BenchmarkDotNet.Attributes;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Bench.Scoring;

/// <summary>
/// The two operations a subject grain performs: folding one new record into a subject that already has 50 active
/// records, and re-evaluating that subject when time has passed. The minimum is shown beside the mean because the
/// build machine is shared and the mean carries other processes' load.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[ShortRunJob]
public class ScoringBenchmarks
{
    private const string Subject = "91610000MA6TG1234X";

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private readonly CreditEvaluator evaluator = new(CreditRules.Default);

    private SubjectEvaluation subject = null!;
    private LoggedCreditEvent next = null!;
    private DateTimeOffset now;
    private DateTimeOffset nextDay;

    [GlobalSetup]
    public void Setup()
    {
        now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, China);
        nextDay = now.AddDays(1);
        var decided = new DateOnly(2026, 5, 1);
        var records = new List<CreditEvent>();
        for (var i = 0; records.Count < 50; i++)
        {
            var day = decided.AddDays(-(i % 20));
            EventDetails details = (i % 10) switch
            {
                0 => new PenaltyImposed([PenaltyType.Fine]),
                1 => new LicenceGranted($"Licence {i}", day.AddYears(3)),
                2 => new InspectionCompleted(InspectionResult.NoProblem),
                3 => new CompulsoryMeasureImposed("Seizure", null),
                4 => new RewardGranted(RewardLevel.City),
                5 => new UtilityPaymentRecorded(UtilityKind.Electricity, $"{day.AddMonths(-(i / 10)):yyyy-MM}", 0),
                6 => new ContractPerformanceRecorded($"SOE {i}", CounterpartyKind.StateOwned, ContractOutcome.Fulfilled, false),
                7 => new CommitmentMade(CommitmentType.Voluntary, $"Dept {i}"),
                8 => new CourtJudgmentRecorded($"Case {i}", "Court", CaseType.DebtDispute, true),
                _ => new PenaltyImposed([PenaltyType.SuspensionOfBusiness]),
            };
            records.Add(Record($"R-{i}", day, details));
        }

        subject = evaluator.Initial(Subject, now);
        for (var i = 0; i < records.Count; i++)
        {
            subject = evaluator.Evolve(subject, new LoggedCreditEvent(i + 1, records[i]), now);
        }

        if (subject.Records.Length != 50)
        {
            throw new InvalidOperationException($"Expected 50 active records, got {subject.Records.Length}.");
        }

        next = new LoggedCreditEvent(51, Record("R-next", decided, new AdjudicationDecided(AgainstSubject: true)));
    }

    [Benchmark(Description = "Evolve: fold one record into 50 active")]
    public SubjectEvaluation Fold() => evaluator.Evolve(subject, next, now);

    [Benchmark(Description = "Reevaluate: 50 active records, next day")]
    public SubjectEvaluation Reevaluate() => evaluator.Reevaluate(subject, nextDay);

    [Benchmark(Description = "NextScheduledChange: 50 active records")]
    public DateTimeOffset? NextChange() => evaluator.NextScheduledChange(subject);

    private static CreditEvent Record(string id, DateOnly decided, EventDetails details) => new()
    {
        RecordId = id,
        SubjectId = Subject,
        SubjectType = SubjectType.Enterprise,
        SourceDepartment = "11610000000000000X",
        DecisionDate = decided,
        Details = details,
    };
}
