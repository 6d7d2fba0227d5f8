using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CreditGrid.Gateway.Tests;

/// <summary><c>GET /api/v1/enterprises/{uscc}/explanation</c>.</summary>
[Collection(IngestCollection.Name)]
public sealed class ExplanationApiTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ExplanationListsTheRecordsThatMoveTheScoreLargestFirst()
    {
        var code = Records.NewEnterprise();
        var answer = await _client.SubmitAsync(new JsonArray(Records.Licence(code), Records.Penalty(code)));
        Assert.Equal(2, answer.Accepted);
        await _client.EnterpriseEventuallyAsync(code, e => e.LastAppliedSequence == 2);

        var (status, explanation) = await _client.GetAsync<JsonElement>($"/api/v1/enterprises/{code}/explanation");

        Assert.Equal(HttpStatusCode.OK, status);
        var reasons = explanation.GetProperty("reasons").EnumerateArray().ToList();
        Assert.Equal(2, reasons.Count);
        var impacts = reasons.Select(r => Math.Abs(r.GetProperty("pointsNow").GetDouble())).ToList();
        Assert.Equal(impacts.OrderDescending(), impacts);
        Assert.Contains(reasons, r => r.GetProperty("eventType").GetString() == "credit.penalty-imposed.v1" && r.GetProperty("pointsNow").GetDouble() < 0);
        Assert.All(reasons, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("dimension").GetString())));
    }

    [Fact]
    public async Task ExplanationOfAnUnknownEnterpriseIs404()
    {
        using var response = await _client.GetAsync($"/api/v1/enterprises/{Records.NewEnterprise()}/explanation", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "unknown_subject");
    }

    [Fact]
    public async Task ExplanationOfAnInvalidCodeIs400()
    {
        using var response = await _client.GetAsync($"/api/v1/enterprises/{BadCodes.For("WRONG_CHECK")}/explanation", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "uscc", "WRONG_CHECK");
    }
}
