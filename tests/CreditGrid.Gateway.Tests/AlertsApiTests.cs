using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Testing;

namespace CreditGrid.Gateway.Tests;

/// <summary>The monitoring desk: <c>/api/v1/alerts</c>, its live feed and the warning lifecycle.</summary>
[Collection(QueryCollection.Name)]
public sealed class AlertsApiTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task SeriousDishonestyListingRaisesARedAlertOnTheDesk()
    {
        var code = Records.NewEnterprise();
        Assert.Equal(1, (await _client.SubmitAsync(new JsonArray(Records.SeriousListing(code)))).Accepted);

        var alerts = await Eventually.Until(() => RedAlertsAsync(code), a => a.Count > 0);

        var alert = Assert.Single(alerts.Where(a => a.GetProperty("status").GetString() == "Open").Take(1));
        Assert.Equal("Red", alert.GetProperty("severity").GetString());
        Assert.StartsWith(code + "/W", alert.GetProperty("warningId").GetString(), StringComparison.Ordinal);
        Assert.Equal("610100", alert.GetProperty("cityCode").GetString());
    }

    [Fact]
    public async Task LiveFeedDeliversAWarningAsItIsRaised()
    {
        // Server-sent events need a real server: the in-memory test server does not hand a streamed body over as it
        // is written, so this test runs its own gateway on Kestrel.
        await using var kestrel = new GatewayFactory();
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        using var live = kestrel.CreateClient();
        live.Timeout = Timeout.InfiniteTimeSpan;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await live.GetAsync("/api/v1/alerts/live", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var code = Records.NewEnterprise();
        Assert.Equal(1, (await kestrel.CreateClient().SubmitAsync(new JsonArray(Records.SeriousListing(code)))).Accepted);

        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(code, StringComparison.Ordinal))
            {
                var alert = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                Assert.Equal(code, alert.GetProperty("subjectId").GetString());
                Assert.Equal("Red", alert.GetProperty("severity").GetString());
                return;
            }
        }

        Assert.Fail("The live feed ended without the new warning.");
    }

    [Fact]
    public async Task WarningMovesOpenToAcknowledgedToResolvedAndRefusesSkippingAStep()
    {
        var code = Records.NewEnterprise();
        await _client.SubmitAsync(new JsonArray(Records.SeriousListing(code)));
        var alert = (await Eventually.Until(() => RedAlertsAsync(code), a => a.Count > 0))[0];
        var warning = alert.GetProperty("warningId").GetString()!.Split('/')[1];

        using var resolveFirst = await _client.PostAsync($"/api/v1/alerts/{code}/{warning}/resolve", null, TestContext.Current.CancellationToken);
        using var acknowledge = await _client.PostAsync($"/api/v1/alerts/{code}/{warning}/acknowledge", null, TestContext.Current.CancellationToken);
        using var resolve = await _client.PostAsync($"/api/v1/alerts/{code}/{warning}/resolve", null, TestContext.Current.CancellationToken);

        await resolveFirst.AssertProblemAsync(HttpStatusCode.Conflict, "action", "not_allowed_from_status");
        Assert.Equal(HttpStatusCode.OK, acknowledge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        var resolved = await Eventually.Until(
            async () => (await _client.GetAsync<JsonElement[]>($"/api/v1/alerts?subject={code}&status=resolved")).Body ?? [],
            a => a.Length > 0);
        Assert.Contains(resolved, a => a.GetProperty("warningId").GetString() == $"{code}/{warning}");
    }

    [Theory]
    [InlineData("/api/v1/alerts?status=closed", "status")]
    [InlineData("/api/v1/alerts?status=2", "status")]
    [InlineData("/api/v1/alerts?severity=purple", "severity")]
    [InlineData("/api/v1/alerts?limit=0", "limit")]
    public async Task BadFiltersAre400(string path, string field)
    {
        using var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, "invalid_value");
    }

    [Fact]
    public async Task UnknownWarningIs404AndUnknownActionIs400()
    {
        var code = Records.NewEnterprise();
        await _client.SubmitAsync(new JsonArray(Records.Licence(code)));
        await _client.EnterpriseEventuallyAsync(code, e => e.LastAppliedSequence == 1);

        using var unknown = await _client.PostAsync($"/api/v1/alerts/{code}/W999/acknowledge", null, TestContext.Current.CancellationToken);
        using var badAction = await _client.PostAsync($"/api/v1/alerts/{code}/W1/delete", null, TestContext.Current.CancellationToken);

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "warning", "unknown_warning");
        await badAction.AssertProblemAsync(HttpStatusCode.BadRequest, "action", "invalid_value");
    }

    private async Task<List<JsonElement>> RedAlertsAsync(string code) =>
        [.. (await _client.GetAsync<JsonElement[]>($"/api/v1/alerts?subject={code}&severity=red")).Body ?? []];
}
