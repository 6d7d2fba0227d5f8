using CreditGrid.Domain.Events;
using CreditGrid.Grains.PreCredit;
using CreditGrid.Grains.Subjects;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Grains.Tests.PreCredit;

/// <summary>
/// On a grid whose boards are open (the single-process grid), the desk reads consents and features that the consent
/// and subject grains posted, and a decision still follows every grant, revocation and folded record at once.
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class PreCreditPostingTests(TimeTravelGridFixture grid)
{
    private const string Bank = "91610100MA6TGBANK1";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private IServiceProvider Silo => grid.Cluster.Silos[0].ServiceProvider;

    private ConsentBoard Consents => Silo.GetRequiredService<ConsentBoard>();

    private SubjectDocumentBoard Subjects => Silo.GetRequiredService<SubjectDocumentBoard>();

    private IPreCreditGrain Desk => grid.Grains.GetGrain<IPreCreditGrain>(0);

    [Fact]
    public async Task ADecisionFollowsEveryGrantAndRevocation()
    {
        var enterprise = await EnterpriseWithRecordsAsync("610827", Licence);
        var consent = grid.Grains.GetGrain<IConsentGrain>(enterprise);
        await consent.GrantAsync(Bank, "working capital", DateTimeOffset.UtcNow.AddDays(30));
        Assert.Null(Consents.IsAuthorised(enterprise, Bank, DateTimeOffset.UtcNow)); // the grant took any posting down

        Assert.Null((await DecideAsync(enterprise)).Refusal);
        Assert.True(Consents.IsAuthorised(enterprise, Bank, DateTimeOffset.UtcNow)); // posted when the desk asked
        Assert.Null((await DecideAsync(enterprise)).Refusal); // now answered from the board

        Assert.True(await consent.RevokeAsync(Bank));

        Assert.Null(Consents.IsAuthorised(enterprise, Bank, DateTimeOffset.UtcNow));
        Assert.Equal(PreCreditRefusal.NoAuthorisation, (await DecideAsync(enterprise)).Refusal);
        Assert.False(Consents.IsAuthorised(enterprise, Bank, DateTimeOffset.UtcNow));
        Assert.Equal(PreCreditRefusal.NoAuthorisation, (await DecideAsync(enterprise)).Refusal);

        await consent.GrantAsync(Bank, "working capital", DateTimeOffset.UtcNow.AddDays(30));

        Assert.Null((await DecideAsync(enterprise)).Refusal);
    }

    [Fact]
    public async Task ADecisionUsesTheFeaturesOfTheLatestFoldedRecord()
    {
        var enterprise = await EnterpriseWithRecordsAsync("610828", Licence);
        await grid.Grains.GetGrain<IConsentGrain>(enterprise).GrantAsync(Bank, "working capital", DateTimeOffset.UtcNow.AddDays(30));

        var before = await DecideAsync(enterprise);
        Assert.DoesNotContain(before.Decision!.Reasons, r => r.Code == "R01");
        var posted = Subjects.ReadPreCreditFeatures(enterprise);
        Assert.NotNull(posted);
        Assert.False(posted.OnSeriousDishonestyList);

        var listing = Records.For(enterprise, new SeriousDishonestyListed("严重违法失信名单", "陕西省市场监督管理局", 36), Today(), PublicityClass.Serious);
        await grid.Log.AppendAsync([listing], TestContext.Current.CancellationToken);

        // Nothing reads the grain meanwhile: only the fold itself can take the posting down.
        await Eventually.Until(() => Task.FromResult(Subjects.ReadPreCreditFeatures(enterprise)), f => f is null);
        var after = await DecideAsync(enterprise);
        Assert.Equal("REJECT", after.Decision!.Decision);
        Assert.Contains(after.Decision.Reasons, r => r.Code == "R01");
        Assert.True(Subjects.ReadPreCreditFeatures(enterprise)?.OnSeriousDishonestyList);
    }

    [Fact]
    public async Task ReadingTheLookupDocumentKeepsTheFeaturesPostedAndTheOtherWayRound()
    {
        var enterprise = await EnterpriseWithRecordsAsync("610827", Licence);
        var grain = grid.Grains.GetGrain<IEnterpriseGrain>(enterprise);

        var features = await grain.AsReference<IPreCreditFeatureSource>().GetPreCreditFeaturesAsync();
        var document = await grain.GetViewDocumentAsync();

        Assert.NotNull(features);
        Assert.Equal(features, Subjects.ReadPreCreditFeatures(enterprise));
        Assert.Equal(document!.Json, Subjects.Read(enterprise, governmentBody: false)?.Json);
    }

    [Fact]
    public async Task AConsentGrainLeavesTheBoardWhenDeactivatedAndANewActivationClearsWhatItDidNotPost()
    {
        var enterprise = Records.NewEnterprise("610828");
        var consent = grid.Grains.GetGrain<IConsentGrain>(enterprise);
        await consent.GrantAsync(Bank, "working capital", DateTimeOffset.UtcNow.AddDays(30));
        Assert.True(await consent.IsAuthorisedAsync(Bank, DateTimeOffset.UtcNow));
        Assert.True(Consents.IsAuthorised(enterprise, Bank, DateTimeOffset.UtcNow));

        await grid.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        await Eventually.Until(() => Task.FromResult(Consents.IsAuthorised(enterprise, Bank, DateTimeOffset.UtcNow)), posted => posted is null);

        // A posting no activation made (say, one whose deactivation never ran) is cleared by the next activation.
        Consents.Post(enterprise, [new Authorisation("91610100MA6TGBANK9", "left over", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1), null)]);
        Assert.Single(await consent.ListAsync());
        Assert.Null(Consents.IsAuthorised(enterprise, "91610100MA6TGBANK9", DateTimeOffset.UtcNow));
    }

    private Task<PreCreditAnswer> DecideAsync(string enterprise) =>
        Desk.DecideAsync(new PreCreditRequest(Bank, enterprise, 100_000m, "working capital"));

    private async Task<string> EnterpriseWithRecordsAsync(string county, Func<string, CreditEvent> record)
    {
        var enterprise = Records.NewEnterprise(county);
        await grid.Log.AppendAsync([record(enterprise)], TestContext.Current.CancellationToken);
        await Eventually.Until(() => grid.Grains.GetGrain<IEnterpriseGrain>(enterprise).GetViewAsync(), v => v?.LastAppliedSequence == 1);
        return enterprise;
    }

    private CreditEvent Licence(string enterprise) =>
        Records.For(enterprise, new LicenceGranted("食品经营许可证", Today().AddYears(3)), Today().AddDays(-10));

    private DateOnly Today() => DateOnly.FromDateTime(grid.Clock.GetUtcNow().ToOffset(China).DateTime);
}
