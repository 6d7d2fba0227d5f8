using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Alerts;
using CreditGrid.Grains.Cities;
using CreditGrid.Storage;
using CreditGrid.Testing;

namespace CreditGrid.Grains.Tests;

/// <summary>
/// Issue-level time behaviour on a running grid: effects end and warnings are raised when their moment comes,
/// although no event arrives and nobody reads the subject. The county's sweep wakes the subject; evaluation time is
/// a fake clock moved across years while Orleans runs on real time.
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class TimeDrivenChangeTests(TimeTravelGridFixture grid)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task SeriousPenaltyStopsWeighingAfterItsPeriodWithoutAnyFurtherEvent()
    {
        const string County = "610822"; // 府谷县, used by this test only
        var subject = Records.NewEnterprise(County);
        var penalty = Records.For(subject, new PenaltyImposed([PenaltyType.Fine, PenaltyType.LicenceRevocation]), Today(), PublicityClass.Serious, 500_000m);
        await grid.Log.AppendAsync([penalty], TestContext.Current.CancellationToken);
        var county = grid.Grains.GetGrain<ICityGrain>(County);
        var during = await Eventually.Until(() => county.GetViewAsync(), v => v.Subjects == 1);
        Assert.Equal(1, during.Subjects);
        Assert.Equal(0, await county.SweepAsync());

        grid.Clock.Advance(TimeSpan.FromDays((3 * 365) + 30));
        var woken = await county.SweepAsync();
        var after = await Eventually.Until(() => county.GetViewAsync(), v => v.AverageScore != during.AverageScore);

        Assert.Equal(1, woken);
        Assert.True(after.AverageScore > during.AverageScore, $"score {during.AverageScore} → {after.AverageScore}");
        Assert.Equal(Replay(penalty, grid.Clock.GetUtcNow()).Score, after.AverageScore);
    }

    [Fact]
    public async Task LicenceExpiringWarningIsRaisedThirtyDaysAheadByTheSweep()
    {
        const string County = "610824"; // 靖边县, used by this test only
        var subject = Records.NewEnterprise(County);
        var validTo = Today().AddDays(40);
        await grid.Log.AppendAsync([Records.For(subject, new LicenceGranted("危险化学品经营许可证", validTo), Today())], TestContext.Current.CancellationToken);
        var county = grid.Grains.GetGrain<ICityGrain>(County);
        await Eventually.Until(() => county.GetViewAsync(), v => v.Subjects == 1);
        var desk = grid.Grains.GetGrain<IAlertDeskGrain>(IAlertDeskGrain.ProvinceKey);

        grid.Clock.Advance(TimeSpan.FromDays(5));
        await county.SweepAsync();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(await desk.QueryAsync(new AlertQuery(SubjectId: subject)), a => a.RuleId == WarningRuleIds.LicenceExpiring);

        grid.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(1, await county.SweepAsync());
        var alerts = await Eventually.Until(
            () => desk.QueryAsync(new AlertQuery(SubjectId: subject)),
            list => list.Any(a => a.RuleId == WarningRuleIds.LicenceExpiring));

        var warning = Assert.Single(alerts, a => a.RuleId == WarningRuleIds.LicenceExpiring);
        Assert.Equal(WarningSeverity.Blue, warning.Severity);
        Assert.Equal(County[..4] + "00", warning.CityCode);
    }

    [Fact]
    public async Task OnlyTheUnitNamedInTheCodeWakesTheSubject()
    {
        const string County = "610825"; // 定边县, used by this test only
        var subject = Records.NewEnterprise(County);
        await grid.Log.AppendAsync([Records.For(subject, new LicenceGranted("食品经营许可证", Today().AddDays(400)), Today())], TestContext.Current.CancellationToken);
        var county = grid.Grains.GetGrain<ICityGrain>(County);
        await Eventually.Until(() => county.GetViewAsync(), v => v.Subjects == 1);

        // The city above counts the subject too, but only the county schedules it, so it is never woken twice.
        grid.Clock.Advance(TimeSpan.FromDays(400));
        var byCity = await grid.Grains.GetGrain<ICityGrain>("610800").SweepAsync();
        var byCounty = await county.SweepAsync();

        Assert.Equal(0, byCity);
        Assert.Equal(1, byCounty);
    }

    private DateOnly Today() => DateOnly.FromDateTime(grid.Clock.GetUtcNow().ToOffset(China).DateTime);

    private static SubjectEvaluation Replay(CreditEvent record, DateTimeOffset now)
    {
        var evaluator = new CreditEvaluator(CreditRules.Default);
        var start = new DateTimeOffset(record.DecisionDate.ToDateTime(new TimeOnly(12, 0)), China);
        var state = evaluator.Evolve(evaluator.Initial(record.SubjectId, start), new LoggedCreditEvent(1, record), start);
        return evaluator.Reevaluate(state, now);
    }
}
