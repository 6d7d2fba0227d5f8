using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Subjects;

namespace CreditGrid.Grains.Tests;

public sealed class PendingCityReportsTests
{
    private static readonly string[] CountyAndCity = ["610724", "610700"];

    [Fact]
    public void ASubjectReportedTwiceBeforeASendIsSentOnceWithItsLatestSummaryToEachUnit()
    {
        var pending = new PendingCityReports();
        pending.Add(CountyAndCity, Summary("A", 700));
        pending.Add(CountyAndCity, Summary("B", 650));
        pending.Add(CountyAndCity, Summary("A", 720));

        var taken = pending.TakeAll().ToDictionary(u => u.Unit, u => u.Summaries);

        Assert.Equal(CountyAndCity.Order(StringComparer.Ordinal), taken.Keys.Order(StringComparer.Ordinal));
        foreach (var summaries in taken.Values)
        {
            Assert.Equal(2, summaries.Length);
            Assert.Equal(720, summaries.Single(s => s.SubjectId == "A").Score);
            Assert.Equal(650, summaries.Single(s => s.SubjectId == "B").Score);
        }
    }

    [Fact]
    public void TakingLeavesNothingBehindAndLaterReportsGoToTheNextSend()
    {
        var pending = new PendingCityReports();
        pending.Add(["610602"], Summary("A", 700));

        Assert.Single(pending.TakeAll());
        Assert.Empty(pending.TakeAll());

        pending.Add(["610602"], Summary("A", 690));
        var next = Assert.Single(pending.TakeAll());
        Assert.Equal(690, Assert.Single(next.Summaries).Score);
    }

    [Fact]
    public void ReportsFromManyThreadsAreAllKept()
    {
        var pending = new PendingCityReports();
        Parallel.For(0, 10_000, i => pending.Add(CountyAndCity, Summary("S" + i, 600 + (i % 100))));

        var taken = pending.TakeAll();

        Assert.All(taken, unit => Assert.Equal(10_000, unit.Summaries.Length));
    }

    private static SubjectSummary Summary(string subject, int score) =>
        new(subject, SubjectType.Enterprise, SupervisionTier.Low, score, false);
}
