using System.Text.Json;
using CreditGrid.Grains.PreCredit;
using CreditGrid.Grains.Subjects;
using CreditGrid.Testing;

namespace CreditGrid.Grains.Tests.PreCredit;

/// <summary>
/// Gateways ask the desk grain: it answers across the wire with the decision, its stored document and the refusals.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class PreCreditDeskGrainTests(GridClusterFixture grid)
{
    private const string Bank = "91610100MA6TGBANK1";

    [Fact]
    public async Task TheDeskGrainAnswersWithTheStoredDocumentAndTheDecision()
    {
        var enterprise = Records.NewEnterprise();
        await grid.Log.AppendAsync([Records.Licence(enterprise), Records.SeriousListing(enterprise)], TestContext.Current.CancellationToken);
        await Eventually.Until(() => grid.Grains.GetGrain<IEnterpriseGrain>(enterprise).GetViewAsync(), v => v?.LastAppliedSequence >= 2);
        await grid.Grains.GetGrain<IConsentGrain>(enterprise).GrantAsync(Bank, "working capital", DateTimeOffset.UtcNow.AddDays(30));
        var desk = grid.Grains.GetGrain<IPreCreditGrain>(0);

        var answer = await desk.DecideAsync(new PreCreditRequest(Bank, enterprise, 100_000m, "working capital"));

        Assert.Null(answer.Refusal);
        var decision = Assert.IsType<PreCreditDecisionView>(answer.Decision);
        Assert.Equal("REJECT", decision.Decision);
        Assert.Contains(decision.Reasons, r => r.Code == "R01");
        Assert.NotNull(answer.Json);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(decision, DecisionDocument.TypeInfo), answer.Json);
        var stored = await desk.GetDecisionAsync(decision.Id);
        Assert.NotNull(stored);
        Assert.Equal(answer.Json, JsonSerializer.SerializeToUtf8Bytes(stored, DecisionDocument.TypeInfo));
    }

    [Fact]
    public async Task WithoutAuthorisationOrRecordsTheDeskGrainRefuses()
    {
        var desk = grid.Grains.GetGrain<IPreCreditGrain>(0);
        var unauthorised = Records.NewEnterprise();
        var unknown = Records.NewEnterprise();
        await grid.Grains.GetGrain<IConsentGrain>(unknown).GrantAsync(Bank, "working capital", DateTimeOffset.UtcNow.AddDays(30));

        var refused = await desk.DecideAsync(new PreCreditRequest(Bank, unauthorised, 100_000m, "working capital"));
        var unheardOf = await desk.DecideAsync(new PreCreditRequest(Bank, unknown, 100_000m, "working capital"));

        Assert.Equal(new PreCreditAnswer(null, PreCreditRefusal.NoAuthorisation), refused);
        Assert.Equal(new PreCreditAnswer(null, PreCreditRefusal.UnknownEnterprise), unheardOf);
    }
}
