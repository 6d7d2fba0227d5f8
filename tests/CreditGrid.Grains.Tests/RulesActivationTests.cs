using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Rules;
using CreditGrid.Grains.Subjects;
using CreditGrid.Storage;
using CreditGrid.Testing;

namespace CreditGrid.Grains.Tests;

/// <summary>
/// A new rules version is activated on a running grid without a restart: a refused file leaves the running rules in
/// force, subjects move to the new version when next touched, and a city can be re-evaluated eagerly.
/// </summary>
[Collection(RulesCollection.Name)]
public sealed class RulesActivationTests(RulesGridFixture grid)
{
    private const string HeavierGeneralPenalties = "2026.50";

    private IRulesGrain Register => grid.Grains.GetGrain<IRulesGrain>(IRulesGrain.ProvinceKey);

    [Fact]
    public async Task InvalidFileIsRefusedNamingTheKeyAndTheRunningRulesStay()
    {
        var before = await Register.GetActiveAsync();
        var json = CreditRules.DefaultFileText()
            .Replace("\"version\": \"2026.2\"", "\"version\": \"2026.40\"")
            .Replace("\"D3\": { \"base\": 40, \"max\": 100 },", "");

        var result = await Register.ActivateAsync(json, "policy-office");

        Assert.Equal(RulesActivationOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Problems, p => p.Path == "dimensions.D3");
        Assert.Equal(before?.Version, (await Register.GetActiveAsync())?.Version);
    }

    [Fact]
    public async Task AVersionNameCannotBeReusedForOtherContent()
    {
        var json = CreditRules.DefaultFileText().Replace("\"General\": { \"points\": -30", "\"General\": { \"points\": -31");

        var result = await Register.ActivateAsync(json, "policy-office");

        Assert.Equal(RulesActivationOutcome.VersionReused, result.Outcome);
        Assert.Equal("version", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public async Task NewVersionAppliesOnNextTouchAndEagerlyToACity()
    {
        const string County = "610826"; // 绥德县, used by this test only
        var touched = Records.NewEnterprise(County);
        var untouched = Records.NewEnterprise(County);
        var decided = DateOnly.FromDateTime(IsolatedGridFixture.Start.DateTime);
        var penalties = new[] { Penalty(touched, decided), Penalty(untouched, decided) };
        await grid.Log.AppendAsync(penalties, TestContext.Current.CancellationToken);
        var county = grid.Grains.GetGrain<ICityGrain>(County);
        var before = await Eventually.Until(() => county.GetViewAsync(), v => v.Subjects == 2);
        Assert.Equal(2, before.Subjects);

        var json = CreditRules.DefaultFileText()
            .Replace("\"version\": \"2026.2\"", $"\"version\": \"{HeavierGeneralPenalties}\"")
            .Replace("\"General\": { \"points\": -30", "\"General\": { \"points\": -60");
        var activated = await Register.ActivateAsync(json, "policy-office");
        Assert.Equal(RulesActivationOutcome.Activated, activated.Outcome);
        Assert.Equal(RulesActivationOutcome.AlreadyActive, (await Register.ActivateAsync(json, "policy-office")).Outcome);
        var expected = Replay(penalties[0], CreditRules.Parse(json).Rules!, grid.Clock.GetUtcNow());

        // Lazily: reading the subject moves it to the active version.
        var view = await grid.Grains.GetGrain<IEnterpriseGrain>(touched).GetViewAsync();
        Assert.Equal(HeavierGeneralPenalties, view!.RulesVersion);
        Assert.Equal(expected.Score, view.Score);
        Assert.True(view.Score < before.AverageScore);

        // Eagerly: the county re-evaluates everyone, and its aggregate follows without anyone reading the other subject.
        var started = await county.StartReevaluationAsync();
        Assert.Equal(HeavierGeneralPenalties, started.RulesVersion);
        var progress = await Eventually.Until(() => county.GetReevaluationAsync(), p => p?.FinishedAt is not null);
        Assert.Equal(2, progress!.Done);
        Assert.Equal(0, progress.Failed);
        var after = await Eventually.Until(() => county.GetViewAsync(), v => v.AverageScore == expected.Score);
        Assert.Equal(expected.Score, after.AverageScore);
        Assert.Contains(await Register.GetHistoryAsync(), a => a.Version == HeavierGeneralPenalties && a.ActivatedBy == "policy-office");
    }

    private static CreditEvent Penalty(string subject, DateOnly decided) =>
        Records.For(subject, new PenaltyImposed([PenaltyType.Fine]), decided, PublicityClass.General, 20_000m);

    private static SubjectEvaluation Replay(CreditEvent record, CreditRules rules, DateTimeOffset now)
    {
        var evaluator = new CreditEvaluator(rules);
        return evaluator.Evolve(evaluator.Initial(record.SubjectId, now), new LoggedCreditEvent(1, record), now);
    }
}
