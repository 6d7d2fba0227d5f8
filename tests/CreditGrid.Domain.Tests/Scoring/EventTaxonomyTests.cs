using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>DOMAIN §3.2, one row at a time: each kind lands in its dimension with its default impact and direction.</summary>
public sealed class EventTaxonomyTests
{
    private static readonly DateOnly Decided = Day(2026, 6, 1);
    private static readonly DateTimeOffset Now = At(2026, 6, 1);

    private sealed record Row(EventDetails Details, Dimension Dimension, double Points, PublicityClass? Class = null, decimal? Amount = null);

    private static readonly Dictionary<string, Row> Rows = new()
    {
        ["01 licence"] = new(new LicenceGranted("Food business", Day(2029, 1, 1)), Dimension.Qualifications, 5),
        ["02 minor penalty"] = new(new PenaltyImposed([PenaltyType.Warning]), Dimension.LawCompliance, -5, PublicityClass.Minor),
        ["03 general penalty"] = new(new PenaltyImposed([PenaltyType.Fine]), Dimension.LawCompliance, -30, PublicityClass.General),
        ["03 general penalty with a large fine"] = new(new PenaltyImposed([PenaltyType.Fine]), Dimension.LawCompliance, -40, PublicityClass.General, 100_000m),
        ["04 serious penalty"] = new(new PenaltyImposed([PenaltyType.LicenceRevocation]), Dimension.LawCompliance, -120, PublicityClass.Serious),
        ["05 compulsory measure"] = new(new CompulsoryMeasureImposed("Seizure", null), Dimension.LawCompliance, -20),
        ["06 national reward"] = new(new RewardGranted(RewardLevel.National), Dimension.Qualifications, 40),
        ["06 provincial reward"] = new(new RewardGranted(RewardLevel.Provincial), Dimension.Qualifications, 25),
        ["06 city reward"] = new(new RewardGranted(RewardLevel.City), Dimension.Qualifications, 10),
        ["07 high-tech confirmation"] = new(new ConfirmationGranted("HighTechEnterprise", null), Dimension.Qualifications, 30),
        ["07 other confirmation"] = new(new ConfirmationGranted("Green factory", null), Dimension.Qualifications, 15),
        ["08 adjudication against"] = new(new AdjudicationDecided(AgainstSubject: true), Dimension.LawCompliance, -10),
        ["09 inspection passed"] = new(new InspectionCompleted(InspectionResult.NoProblem), Dimension.SupervisoryRisk, 5),
        ["09 inspection found problem"] = new(new InspectionCompleted(InspectionResult.RectificationOrdered), Dimension.SupervisoryRisk, -20),
        ["09 inspection cannot locate"] = new(new InspectionCompleted(InspectionResult.CannotBeLocated), Dimension.SupervisoryRisk, -60),
        ["10 abnormal operations"] = new(new AbnormalOperationsListed(AbnormalOperationsReason.CannotBeLocated, "Xi'an AMR"), Dimension.SupervisoryRisk, -80),
        ["11 serious dishonesty list"] = new(new SeriousDishonestyListed("Serious illegal dishonesty", "SAMR", 36), Dimension.LawCompliance, -300),
        ["12 dishonest judgment debtor"] = new(new DishonestJudgmentDebtorListed("(2026)陕01执123号", "Xi'an Intermediate Court", JudgmentPerformance.None), Dimension.LawCompliance, -250),
        ["13 court judgment lost"] = new(new CourtJudgmentRecorded("(2026)陕0102民初1号", "Xincheng Court", CaseType.ContractDispute, SubjectLost: true), Dimension.LawCompliance, -15),
        ["14 restricted consumption"] = new(new RestrictedConsumptionOrdered("(2026)陕01执9号", "Xi'an Intermediate Court"), Dimension.LawCompliance, -60),
        ["15 tax rating A"] = new(new TaxCreditRated(TaxCreditLevel.A, 2025), Dimension.ContractPerformance, 60),
        ["15 tax rating B"] = new(new TaxCreditRated(TaxCreditLevel.B, 2025), Dimension.ContractPerformance, 30),
        ["15 tax rating M"] = new(new TaxCreditRated(TaxCreditLevel.M, 2025), Dimension.ContractPerformance, 20),
        ["15 tax rating C"] = new(new TaxCreditRated(TaxCreditLevel.C, 2025), Dimension.ContractPerformance, -40),
        ["15 tax rating D"] = new(new TaxCreditRated(TaxCreditLevel.D, 2025), Dimension.ContractPerformance, -150),
        ["16 tax arrears"] = new(new TaxArrearsRecorded(45, AbnormalTaxpayer: false), Dimension.ContractPerformance, -40),
        ["16 abnormal taxpayer"] = new(new TaxArrearsRecorded(null, AbnormalTaxpayer: true), Dimension.ContractPerformance, -150),
        ["17 utility 90 days overdue"] = new(new UtilityPaymentRecorded(UtilityKind.Electricity, "2026-05", 95), Dimension.ContractPerformance, -10),
        ["18 social insurance arrears"] = new(new SocialInsuranceArrearsRecorded(2, 10, false), Dimension.ContractPerformance, -30),
        ["18 social insurance arrears six months"] = new(new SocialInsuranceArrearsRecorded(6, 10, false), Dimension.ContractPerformance, -60),
        ["19 public contract fulfilled"] = new(new ContractPerformanceRecorded("Xi'an Metro", CounterpartyKind.StateOwned, ContractOutcome.Fulfilled, false), Dimension.ContractPerformance, 5),
        ["19 contract breached"] = new(new ContractPerformanceRecorded("Private buyer", CounterpartyKind.Private, ContractOutcome.Breached, false), Dimension.ContractPerformance, -40),
        ["20 commitment made"] = new(new CommitmentMade(CommitmentType.InPlaceOfApproval, "Xi'an AMR"), Dimension.ContractPerformance, 2),
        ["21 commitment broken"] = new(new CommitmentBroken("C-1", ApprovalRevoked: false, Fraudulent: false), Dimension.ContractPerformance, -60),
        ["21 commitment broken and approval revoked"] = new(new CommitmentBroken("C-1", ApprovalRevoked: true, Fraudulent: false), Dimension.ContractPerformance, -100),
        ["22 verified self-declaration"] = new(new SelfDeclaredInformation(DeclarationCategory.SocialResponsibility, Verified: true), Dimension.SocialResponsibility, 10),
        ["25 red list"] = new(new RedListed("AEO", null), Dimension.Qualifications, 30),
    };

    public static TheoryData<string> RowNames => [.. Rows.Keys];

    [Theory]
    [MemberData(nameof(RowNames))]
    public void EachKindScoresInItsDimensionWithItsDefaultImpact(string row)
    {
        var (details, dimension, points, cls, amount) = Rows[row];
        var before = Evaluator.Initial(Subject, Now);

        var after = Fold(Now, Record(details, Decided, cls, amount));

        var effect = Assert.Single(after.Records);
        Assert.Equal(dimension, effect.Dimension);
        Assert.Equal(points, effect.InitialPoints);
        Assert.Equal(points, effect.PointsNow);
        Assert.Equal(Math.Sign(points), Math.Sign(after.Score - before.Score));
    }

    [Fact]
    public void NewEnterpriseWithNoRecordsScores750GradeB()
    {
        var state = Evaluator.Initial(Subject, Now);

        Assert.Equal(750, state.Score);
        Assert.Equal(new DimensionScores(270, 200, 40, 60, 130, 50), state.Dimensions);
        Assert.Equal(CreditGrade.B, state.Grade);
        Assert.Equal(SupervisionTier.General, state.Tier);
        Assert.Equal(75.0m, state.HundredPointScore);
        Assert.Equal(CreditRules.Default.Version, state.RulesVersion);
    }

    [Theory]
    [InlineData(false, CaseType.ContractDispute)]
    [InlineData(true, CaseType.Other)]
    public void NeutralOutcomesLeaveNoRecord(bool lost, CaseType caseType)
    {
        var state = Fold(Now, Record(new CourtJudgmentRecorded("1", "Court", caseType, lost), Decided), Record(new AdjudicationDecided(false), Decided));

        Assert.Empty(state.Records);
        Assert.Equal(750, state.Score);
    }

    [Fact]
    public void UnverifiedSelfDeclarationCountsNothing()
    {
        var state = Fold(Now, Record(new SelfDeclaredInformation(DeclarationCategory.Award, Verified: false), Decided));

        Assert.Equal(0, Assert.Single(state.Records).PointsNow);
        Assert.Equal(750, state.Score);
    }

    [Theory]
    [InlineData(EventTypes.LicenceGranted, 7, 30)]
    [InlineData(EventTypes.RewardGranted, 3, 80)]
    [InlineData(EventTypes.InspectionCompleted, 4, 15)]
    [InlineData(EventTypes.ContractPerformanceRecorded, 5, 20)]
    [InlineData(EventTypes.CommitmentMade, 6, 10)]
    public void PositiveKindsStopAtTheirCap(string kind, int count, int cap)
    {
        var records = Enumerable.Range(0, count).Select(i => Record(kind switch
        {
            EventTypes.LicenceGranted => new LicenceGranted($"Licence {i}", null),
            EventTypes.RewardGranted => new RewardGranted(RewardLevel.National),
            EventTypes.InspectionCompleted => new InspectionCompleted(InspectionResult.NoProblem),
            EventTypes.ContractPerformanceRecorded => new ContractPerformanceRecorded($"SOE {i}", CounterpartyKind.StateOwned, ContractOutcome.Fulfilled, false),
            _ => (EventDetails)new CommitmentMade(CommitmentType.Voluntary, $"Dept {i}"),
        }, Decided)).ToArray();

        var state = Fold(Now, records);
        var dimension = state.Records[0].Dimension;
        var baseline = Evaluator.Initial(Subject, Now);

        Assert.Equal(Math.Min(cap, Rules(dimension).Max - Rules(dimension).Base), Value(state, dimension) - Value(baseline, dimension));
    }

    [Fact]
    public void UtilityArrearsStopAtMinusSixty()
    {
        var records = Enumerable.Range(1, 8).Select(m => Record(new UtilityPaymentRecorded(UtilityKind.Water, $"2026-{m:00}", 120), Day(2026, m, 28))).ToArray();

        var state = Fold(At(2026, 9, 1), records);

        Assert.Equal(200 - 60, state.Dimensions.ContractPerformance);
    }

    [Fact]
    public void TwelveMonthsOfOnTimeUtilityPaymentsEarnTwenty()
    {
        var records = Enumerable.Range(0, 12)
            .Select(i => Day(2025, 6, 1).AddMonths(i))
            .Select(d => Record(new UtilityPaymentRecorded(UtilityKind.Electricity, $"{d:yyyy-MM}", 0), d.AddDays(20)))
            .ToArray();

        var state = Fold(At(2026, 6, 10), records);

        Assert.Equal(220, state.Dimensions.ContractPerformance);
        Assert.Contains(Evaluator.Explain(state).Reasons, r => r.Variant == "OnTimeStreak" && r.PointsNow == 20);
    }

    [Fact]
    public void NextYearsTaxRatingReplacesTheEarlierOne()
    {
        var state = Fold(Now,
            Record(new TaxCreditRated(TaxCreditLevel.A, 2025), Day(2026, 4, 20)),
            Record(new TaxCreditRated(TaxCreditLevel.D, 2024), Day(2025, 4, 20)));

        var only = Assert.Single(state.Records);
        Assert.Equal("A", only.Variant);
        Assert.Equal(250, state.Dimensions.ContractPerformance);
    }

    [Fact]
    public void ConfirmedObjectionFreezesTheTargetButAnOpenOneOnlyFlagsIt()
    {
        var penalty = GeneralPenalty(Decided, id: "P-1");
        var flagged = Fold(Now, penalty, Record(new ObjectionOpened("P-1", ObjectionStatus.Filed), Decided));

        Assert.True(Assert.Single(flagged.Records).UnderObjection);
        Assert.Equal(720, flagged.Score);

        var confirmed = FoldOnto(flagged, Now, Record(new ObjectionOpened("P-1", ObjectionStatus.ErrorConfirmed), Decided));

        Assert.Empty(confirmed.Records);
        Assert.Equal(750, confirmed.Score);
    }

    [Fact]
    public void CompletedRepairRemovesTheTargetFromTheScoreAndKeepsItInternally()
    {
        var state = Fold(Now, SeriousPenalty(Decided, id: "P-9"), Record(new RepairCompleted("P-9"), Decided));

        var kept = Assert.Single(state.Records);
        Assert.Equal(RecordStatus.Repaired, kept.Status);
        Assert.Equal(0, kept.PointsNow);
        Assert.Equal(750, state.Score);
        Assert.Equal(CreditGrade.B, state.Grade);
    }

    [Fact]
    public void CompulsoryMeasureCountsUntilLifted()
    {
        var state = Fold(Now, Record(new CompulsoryMeasureImposed("Freezing", Day(2026, 9, 1)), Decided));

        Assert.Equal(730, state.Score);
        Assert.Equal(750, Evaluator.Reevaluate(state, At(2026, 9, 1)).Score);
    }

    [Fact]
    public void SocialInsuranceArrearsCountForTwelveMonthsAfterClearing()
    {
        var state = Fold(Now,
            Record(new SocialInsuranceArrearsRecorded(2, 5, false), Decided),
            Record(new ArrearsCleared(ArrearsKind.SocialInsurance, null), Day(2026, 7, 1)));

        Assert.Equal(720, Evaluator.Reevaluate(state, At(2027, 6, 30)).Score);
        Assert.Equal(750, Evaluator.Reevaluate(state, At(2027, 7, 1)).Score);
    }

    [Fact]
    public void RestrictedConsumptionEndsWhenTheCourtLiftsIt()
    {
        var state = Fold(Now,
            Record(new RestrictedConsumptionOrdered("(2026)9", "Court"), Decided),
            Record(new RestrictedConsumptionLifted("(2026)9", "Court"), Decided));

        Assert.Equal(750, state.Score);
    }

    [Fact]
    public void DuplicateEventIsFoldedOnce()
    {
        var state = Fold(Now, GeneralPenalty(Decided));
        var again = Evaluator.Evolve(state, new LoggedCreditEvent(1, GeneralPenalty(Decided)), Now);

        Assert.Same(state, again);
    }

    private static DimensionRule Rules(Dimension dimension) => CreditRules.Default.Dimension(dimension);

    private static int Value(SubjectEvaluation state, Dimension dimension) => dimension switch
    {
        Dimension.LawCompliance => state.Dimensions.LawCompliance,
        Dimension.ContractPerformance => state.Dimensions.ContractPerformance,
        Dimension.Qualifications => state.Dimensions.Qualifications,
        Dimension.SocialResponsibility => state.Dimensions.SocialResponsibility,
        Dimension.SupervisoryRisk => state.Dimensions.SupervisoryRisk,
        _ => state.Dimensions.BasicAttributes,
    };
}
