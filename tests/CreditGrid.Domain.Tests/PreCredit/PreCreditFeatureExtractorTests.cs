using CreditGrid.Domain.Events;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.Tests.PreCredit;

/// <summary>The one feature extractor shared by live decisions and the training-set generator.</summary>
public sealed class PreCreditFeatureExtractorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 4, 0, 0, TimeSpan.Zero);
    private static readonly CreditEvaluator Evaluator = new(CreditRules.Default);
    private long _sequence;

    [Fact]
    public void FinancialRecordsBecomeTheFeaturesTheyCarry()
    {
        var features = Extract(
            Record(new DateOnly(2021, 3, 10), new LicenceGranted(PreCreditFeatureExtractor.BusinessLicence, null)),
            Record(new DateOnly(2026, 4, 15), new TaxCreditRated(TaxCreditLevel.B, 2025), 120_000m),
            Record(new DateOnly(2026, 9, 1), new SelfDeclaredInformation(DeclarationCategory.Operations, Verified: true), 3_000_000m),
            Record(new DateOnly(2026, 8, 31), new UtilityPaymentRecorded(UtilityKind.Electricity, "2026-08", 0)),
            Record(new DateOnly(2026, 9, 30), new UtilityPaymentRecorded(UtilityKind.Electricity, "2026-09", 20)),
            Record(new DateOnly(2026, 10, 31), new UtilityPaymentRecorded(UtilityKind.Electricity, "2026-10", 0)),
            Record(new DateOnly(2026, 2, 1), new ContractPerformanceRecorded("银行", CounterpartyKind.StateOwned, ContractOutcome.Breached, false), 300_000m),
            Record(new DateOnly(2026, 5, 1), new PenaltyImposed([PenaltyType.Fine]), 5_000m, PublicityClass.General));

        Assert.Equal(68, features.AgeMonths);
        Assert.Equal(120_000m, features.AnnualTaxPaid);
        Assert.Equal(12, features.MonthsWithTaxDeclaredLast12);
        Assert.Equal(TaxCreditLevel.B, features.TaxRating);
        Assert.Equal(3_000_000m, features.AnnualInvoiceSales);
        Assert.Equal(3, features.UtilityMonthsLast12);
        Assert.Equal(2.0 / 3, features.UtilityOnTimeRateLast12, 6);
        Assert.Equal(20, features.UtilityMaxOverdueDaysLast12);
        Assert.Equal(1, features.ContractBreachesLast24Months);
        Assert.Equal(1, features.PenaltiesLast24Months);
        Assert.False(features.OnSeriousDishonestyList);
        Assert.Equal(CreditRules.Default.Version, features.ScoringRulesVersion);
    }

    [Fact]
    public void HardRuleFlagsFollowTheLiveLists()
    {
        var listed = Record(new DateOnly(2026, 6, 1), new SeriousDishonestyListed("严重违法失信名单", "SAMR", 36), publicity: PublicityClass.Serious);
        var removed = Record(new DateOnly(2026, 9, 1), new SeriousDishonestyRemoved("严重违法失信名单", "SAMR"));
        var abnormal = Record(new DateOnly(2026, 7, 1), new TaxArrearsRecorded(90, AbnormalTaxpayer: true));

        var onList = Extract(listed, abnormal);
        var offList = Extract(listed, abnormal, removed);

        Assert.True(onList.OnSeriousDishonestyList);
        Assert.True(onList.AbnormalTaxpayer);
        Assert.False(offList.OnSeriousDishonestyList);
        Assert.True(offList.AbnormalTaxpayer);
        Assert.Equal(0, onList.MonthsWithTaxDeclaredLast12);
    }

    [Fact]
    public void AnOldRatingDoesNotCountAsDeclaredTax()
    {
        var features = Extract(Record(new DateOnly(2023, 4, 15), new TaxCreditRated(TaxCreditLevel.A, 2022), 80_000m));

        Assert.Equal(0m, features.AnnualTaxPaid);
        Assert.Equal(0, features.MonthsWithTaxDeclaredLast12);
    }

    [Fact]
    public void TheVectorFollowsTheNames()
    {
        var features = Extract(Record(new DateOnly(2026, 4, 15), new TaxCreditRated(TaxCreditLevel.C, 2025), 9_999m));
        var vector = PreCreditFeatureVector.ToVector(features);

        Assert.Equal(PreCreditFeatureVector.Names.Count, vector.Length);
        Assert.Equal(features.CompositeScore, vector[PreCreditFeatureVector.IndexOf("composite_score")]);
        Assert.Equal(1f, vector[PreCreditFeatureVector.IndexOf("tax_rating")]);
        Assert.Equal(4f, vector[PreCreditFeatureVector.IndexOf("log_annual_tax_paid")], 4);
        Assert.Equal(-1, PreCreditFeatureVector.IndexOf("no_such_feature"));
    }

    private static PreCreditFeatures Extract(params LoggedCreditEvent[] events)
    {
        var state = Evaluator.Initial("91610113MA6TXXXXXX", Now);
        long sequence = 0;
        foreach (var e in events.OrderBy(e => e.Event.DecisionDate))
        {
            state = Evaluator.Evolve(state, e with { SubjectSequence = ++sequence }, Now);
        }

        return PreCreditFeatureExtractor.Extract(Evaluator.Reevaluate(state, Now), CreditRules.Default);
    }

    private LoggedCreditEvent Record(DateOnly date, EventDetails details, decimal? amount = null, PublicityClass? publicity = null) =>
        new(++_sequence, new CreditEvent
        {
            RecordId = $"r{_sequence}",
            SubjectId = "91610113MA6TXXXXXX",
            SubjectType = SubjectType.Enterprise,
            SourceDepartment = "11610000MAH10K732H",
            DecisionDate = date,
            Amount = amount,
            PublicityClass = publicity,
            Details = details,
        });
}
