using CreditGrid.Domain.Disclosure;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.Tests.Disclosure;

public class PublicDisclosureTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static int _counter;

    private static CreditEvent Record(DateOnly decided, EventDetails details, PublicityClass? publicity = null) => new()
    {
        RecordId = "R" + Interlocked.Increment(ref _counter),
        SubjectId = "91610103MA6U1AAA1X",
        SubjectType = SubjectType.Enterprise,
        SourceDepartment = "11610000MB2963226E",
        DecisionDate = decided,
        PublicityClass = publicity,
        Details = details,
    };

    private static PublicView Select(params CreditEvent[] history) => PublicDisclosure.Select(history, CreditRules.Default, Today);

    [Fact]
    public void GeneralPenaltyIsPublicForItsYearAndNotAfter()
    {
        var recent = Record(Today.AddMonths(-11), new PenaltyImposed([PenaltyType.Fine]), PublicityClass.General);
        var expired = Record(Today.AddMonths(-12), new PenaltyImposed([PenaltyType.Fine]), PublicityClass.General);

        var view = Select(recent, expired);

        var shown = Assert.Single(view.Records);
        Assert.Equal(recent.RecordId, shown.Event.RecordId);
        Assert.Equal(recent.DecisionDate.AddMonths(12), shown.PublicUntil);
    }

    [Fact]
    public void UnclassifiedPenaltyTakesTheClassOfItsPenaltyTypes()
    {
        var serious = Record(Today.AddMonths(-30), new PenaltyImposed([PenaltyType.Fine, PenaltyType.LicenceRevocation]));

        var shown = Assert.Single(Select(serious).Records);

        Assert.Equal(PublicityClass.Serious, shown.PublicityClass);
    }

    [Fact]
    public void MinorPenaltiesArePublishedOnlyUnderTheRuleSetThatGivesThemAPeriod()
    {
        // Order 58 (before 2026-04-01) gives minor penalties no publicity; Order 36 allows three months.
        var underOrder58 = Record(new DateOnly(2026, 3, 20), new PenaltyImposed([PenaltyType.Warning]), PublicityClass.Minor);
        var underOrder36 = Record(new DateOnly(2026, 4, 20), new PenaltyImposed([PenaltyType.Warning]), PublicityClass.Minor);

        var shown = Assert.Single(Select(underOrder58, underOrder36).Records);

        Assert.Equal(underOrder36.RecordId, shown.Event.RecordId);
    }

    [Fact]
    public void RecordsWithoutPublicityClassAreNotPublicRecords()
    {
        var licence = Record(Today.AddMonths(-1), new LicenceGranted("食品经营许可证", Today.AddYears(3)));
        var rating = Record(Today.AddMonths(-1), new TaxCreditRated(TaxCreditLevel.D, 2025));

        Assert.Empty(Select(licence, rating).Records);
    }

    [Fact]
    public void RepairedRecordLeavesPublication()
    {
        var penalty = Record(Today.AddMonths(-6), new PenaltyImposed([PenaltyType.Fine]), PublicityClass.General);
        var repair = Record(Today.AddMonths(-1), new RepairCompleted(penalty.RecordId));

        Assert.Empty(Select(penalty, repair).Records);
    }

    [Fact]
    public void ListMembershipLastsUntilRemoval()
    {
        var listing = Record(Today.AddMonths(-6), new SeriousDishonestyListed("严重违法失信名单", "陕西省市场监督管理局", 36), PublicityClass.Serious);
        var otherList = Record(Today.AddMonths(-5), new AbnormalOperationsListed(AbnormalOperationsReason.AnnualReportNotFiled, "西安市市场监督管理局"));

        var listed = Select(listing, otherList);
        var removed = Select(listing, otherList, Record(Today.AddMonths(-1), new SeriousDishonestyRemoved("严重违法失信名单", "陕西省市场监督管理局")));

        Assert.Equal([ListKind.AbnormalOperations, ListKind.SeriousDishonesty], listed.Lists.Select(l => l.Kind));
        Assert.Contains(listed.Records, r => r.Event.RecordId == listing.RecordId);
        Assert.Equal([ListKind.AbnormalOperations], removed.Lists.Select(l => l.Kind));
        Assert.DoesNotContain(removed.Records, r => r.Event.RecordId == listing.RecordId);
    }
}
