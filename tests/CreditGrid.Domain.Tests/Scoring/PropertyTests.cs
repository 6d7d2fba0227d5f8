using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CsCheck;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>Invariants of the fold over generated record histories.</summary>
public sealed class PropertyTests
{
    private static readonly DateOnly Epoch = Day(2022, 1, 1);

    /// <summary>The same rules under another version, which forces every kept record to be re-resolved from its source.</summary>
    private static readonly CreditEvaluator Rescoring = new(CreditRules.Parse(RulesFileTests.DefaultJson().Replace("\"version\": \"2026.2\"", "\"version\": \"2026.99\"")).Rules!);

    private static readonly Gen<DateOnly> GenDecided = Gen.Int[0, 365 * 5].Select(Epoch.AddDays);

    private static readonly Gen<DateTimeOffset> GenNow = Gen.Int[0, 365 * 6].Select(d => At(2022, 1, 1).AddDays(d));

    private static readonly Gen<PublicityClass?> GenClass = Gen.OneOf<PublicityClass?>(null, PublicityClass.Minor, PublicityClass.General, PublicityClass.Serious);

    /// <summary>Records that only ever lower the score, and that neither replace nor end another record.</summary>
    private static readonly Gen<EventDetails> GenNegative = Gen.OneOf<EventDetails>(
        Gen.Enum<PenaltyType>().Array[1, 3].Select(t => (EventDetails)new PenaltyImposed(t)),
        Gen.Const<EventDetails>(new CompulsoryMeasureImposed("Seizure", null)),
        Gen.Const<EventDetails>(new AdjudicationDecided(true)),
        Gen.OneOf(InspectionResult.RectificationOrdered, InspectionResult.NotPublishedAsRequired, InspectionResult.CannotBeLocated).Select(r => (EventDetails)new InspectionCompleted(r)),
        Gen.Const<EventDetails>(new SeriousDishonestyListed("List", "SAMR", null)),
        Gen.Const<EventDetails>(new DishonestJudgmentDebtorListed("1", "Court", JudgmentPerformance.None)),
        Gen.Const<EventDetails>(new AbnormalOperationsListed(AbnormalOperationsReason.CannotBeLocated, "AMR")),
        Gen.Const<EventDetails>(new CourtJudgmentRecorded("1", "Court", CaseType.DebtDispute, true)),
        Gen.Const<EventDetails>(new RestrictedConsumptionOrdered("1", "Court")),
        Gen.Bool.Select(b => (EventDetails)new TaxArrearsRecorded(30, b)),
        Gen.Int[1, 12].Select(m => (EventDetails)new SocialInsuranceArrearsRecorded(m, 5, false)),
        Gen.Bool.Select(p => (EventDetails)new ContractPerformanceRecorded("X", CounterpartyKind.Private, ContractOutcome.Breached, p)),
        Gen.Bool.Select(b => (EventDetails)new CommitmentBroken(null, b, !b)),
        Gen.Int[90, 200].Select(d => (EventDetails)new UtilityPaymentRecorded(UtilityKind.Water, "2024-01", d)));

    /// <summary>Records that only ever raise the score, and that neither replace nor end another record.</summary>
    private static readonly Gen<EventDetails> GenPositive = Gen.OneOf<EventDetails>(
        Gen.Enum<RewardLevel>().Select(l => (EventDetails)new RewardGranted(l)),
        Gen.Const<EventDetails>(new InspectionCompleted(InspectionResult.NoProblem)),
        Gen.Const<EventDetails>(new ContractPerformanceRecorded("SOE", CounterpartyKind.StateOwned, ContractOutcome.Fulfilled, false)),
        Gen.Const<EventDetails>(new CommitmentMade(CommitmentType.Voluntary, "Dept")));

    private static readonly Gen<CreditEvent> GenNegativeRecord = Gen.Select(GenNegative, GenDecided, GenClass, (d, at, c) => Record(d, at, d is PenaltyImposed ? c : null));

    private static readonly Gen<CreditEvent> GenPositiveRecord = Gen.Select(GenPositive, GenDecided, (d, at) => Record(d, at));

    private static readonly Gen<CreditEvent> GenIndependent = Gen.Frequency((3, GenNegativeRecord), (2, GenPositiveRecord));

    /// <summary>Anything, including records that replace, remove, repair or object to others.</summary>
    private static readonly Gen<CreditEvent> GenAny = Gen.Frequency(
        (5, GenIndependent),
        (1, Gen.Select(Gen.Enum<TaxCreditLevel>(), Gen.Int[2020, 2026], GenDecided, (l, y, at) => Record(new TaxCreditRated(l, y), at))),
        (1, GenDecided.Select(at => Record(new LicenceGranted("Licence", at.AddYears(1)), at))),
        (1, GenDecided.Select(at => Record(new SeriousDishonestyRemoved("List", "SAMR"), at))),
        (1, GenDecided.Select(at => Record(new AbnormalOperationsRemoved("AMR", null), at))),
        (1, GenDecided.Select(at => Record(new ArrearsCleared(ArrearsKind.Tax, null), at))));

    [Fact]
    public void ScoreAlwaysStaysWithinZeroToOneThousand() =>
        Gen.Select(GenAny.Array[0, 40], GenNow).Sample((records, now) =>
        {
            var state = Fold(now, records);
            var later = Evaluator.Reevaluate(state, now.AddDays(400));
            return state.Score is >= 0 and <= 1000 && later.Score is >= 0 and <= 1000 && state.Score == state.Dimensions.Total;
        }, iter: 300);

    [Fact]
    public void AddingANegativeRecordNeverRaisesTheScore() =>
        Gen.Select(GenIndependent.Array[0, 30], GenNegativeRecord, GenNow).Sample((records, negative, now) =>
        {
            var before = Fold(now, records);
            var after = FoldOnto(before, now, negative);
            return after.Score <= before.Score && after.Grade >= before.Grade;
        }, iter: 300);

    [Fact]
    public void AddingAPositiveRecordNeverLowersTheScore() =>
        Gen.Select(GenIndependent.Array[0, 30], GenPositiveRecord, GenNow).Sample((records, positive, now) =>
        {
            var before = Fold(now, records);
            var after = FoldOnto(before, now, positive);
            return after.Score >= before.Score;
        }, iter: 300);

    [Fact]
    public void SameRecordsInAnyOrderGiveTheSameScore() =>
        Gen.Select(GenIndependent.Array[1, 30], GenNow).SelectMany((records, now) => Gen.Shuffle(records.ToArray()).Select(shuffled => (records, shuffled, now)))
            .Sample((records, shuffled, now) =>
            {
                var a = Fold(now, records);
                var b = Fold(now, shuffled);
                return a.Score == b.Score && a.Dimensions == b.Dimensions && a.Grade == b.Grade && a.Tier == b.Tier;
            }, iter: 300);

    [Fact]
    public void ReplayFromZeroEqualsIncrementalState() =>
        Gen.Select(GenAny.Array[1, 30], Gen.Int[0, 40].Array[30]).Sample((records, gaps) =>
        {
            var now = At(2022, 1, 1);
            var incremental = Evaluator.Initial(Subject, now);
            for (var i = 0; i < records.Length; i++)
            {
                now = now.AddDays(gaps[i]);
                incremental = Evaluator.Evolve(incremental, new LoggedCreditEvent(i + 1, records[i]), now);
            }

            var end = now.AddDays(1);
            incremental = Evaluator.Reevaluate(incremental, end);
            var replayed = Fold(end, records);
            return incremental.Score == replayed.Score
                && incremental.Dimensions == replayed.Dimensions
                && incremental.Grade == replayed.Grade
                && incremental.Tier == replayed.Tier
                && incremental.SeriouslyDishonest == replayed.SeriouslyDishonest
                && incremental.Records.Select(r => (r.SubjectSequence, r.Status, Math.Round(r.PointsNow, 9)))
                    .SequenceEqual(replayed.Records.Select(r => (r.SubjectSequence, r.Status, Math.Round(r.PointsNow, 9))));
        }, iter: 300);

    [Fact]
    public void NothingChangesBeforeTheScheduledInstant() =>
        Gen.Select(GenAny.Array[1, 20], GenNow).Sample((records, now) =>
        {
            var state = Fold(now, records);
            if (Evaluator.NextScheduledChange(state) is not { } next)
            {
                var far = Evaluator.Reevaluate(state, now.AddYears(4));
                return far.Score == state.Score && far.Grade == state.Grade;
            }

            var justBefore = Evaluator.Reevaluate(state, next.AddTicks(-1));
            return next > state.AsOf && justBefore.Score == state.Score && justBefore.Grade == state.Grade && justBefore.Warnings.Length == state.Warnings.Length;
        }, iter: 300);

    [Fact]
    public void FullRescoringAgreesWithTheIncrementalFold() =>
        Gen.Select(GenAny.Array[1, 40], Gen.Int[0, 3].Array[40], GenNow).Sample((records, gaps, start) =>
        {
            var now = start;
            var state = Evaluator.Initial(Subject, now);
            for (var i = 0; i < records.Length; i++)
            {
                now = now.AddHours(gaps[i] * 10);
                state = Evaluator.Evolve(state, new LoggedCreditEvent(i + 1, records[i]), now);
            }

            var again = Rescoring.Reevaluate(state, now);
            return again.Score == state.Score && again.Dimensions == state.Dimensions && again.Grade == state.Grade
                && again.Warnings.Length == state.Warnings.Length
                && again.Records.Select(r => r.PointsNow).SequenceEqual(state.Records.Select(r => r.PointsNow));
        }, iter: 300);
}
