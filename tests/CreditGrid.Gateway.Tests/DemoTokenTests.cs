using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Gateway.Demo;
using CreditGrid.Gateway.Security;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// What the dashboard page does, on a gateway with a small demo province running on Kestrel (the live feed needs a
/// real server): fetch the demo token anonymously, call the APIs with it, follow the feed with <c>?access_token=</c>.
/// </summary>
public sealed class DemoTokenTests : IAsyncLifetime
{
    private readonly GatewayFactory _factory = new()
    {
        Settings =
        {
            ["CreditGrid:Demo:Enabled"] = "true",
            ["CreditGrid:Demo:Enterprises"] = "40",
            ["CreditGrid:Demo:GovernmentBodies"] = "4",
            ["CreditGrid:Demo:TrickleEventsPerSecond"] = "0",
        },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory.UseKestrel(0);
        return _factory.InitializeAsync();
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task DashboardTokenIsShortLivedSupervisorAndMonitoring()
    {
        using var anonymous = _factory.CreateAnonymousClient();

        var answer = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/demo/token", Ct);

        var jwt = new JsonWebToken(answer.GetProperty("token").GetString());
        Assert.Equal(["supervisor", "monitoring"], jwt.Claims.Where(c => c.Type == CallerClaims.Role).Select(c => c.Value));
        Assert.InRange(jwt.ValidTo - DateTime.UtcNow, TimeSpan.FromMinutes(14), DemoTokenApi.Lifetime);
        Assert.Equal(jwt.ValidTo, answer.GetProperty("expiresAt").GetDateTimeOffset().UtcDateTime, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task EveryCallOfTheDashboardSucceedsWithTheDemoToken()
    {
        using var page = await DashboardClientAsync();

        foreach (var path in new[] { "/api/v1/cities?level=city", "/api/v1/alerts?severity=orange&limit=10", "/api/v1/demo/subjects?count=15" })
        {
            using var response = await page.GetAsync(path, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        var sample = await page.GetFromJsonAsync<JsonElement[]>("/api/v1/demo/subjects?count=3", Ct);
        var subject = Assert.IsType<JsonElement[]>(sample)[0].GetProperty("uscc").GetString();
        using var enterprise = await page.GetAsync($"/api/v1/enterprises/{subject}", Ct);
        Assert.NotEqual(HttpStatusCode.Forbidden, enterprise.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, enterprise.StatusCode);

        // The demo token looks, it does not write.
        using var write = await page.PostAsync(new JsonArray(Records.Licence(Records.NewEnterprise())));
        await write.AssertProblemAsync(HttpStatusCode.Forbidden, null, SubjectAccess.RoleNotPermitted);
    }

    [Fact]
    public async Task LiveFeedTakesTheTokenFromTheQueryStringAndNoOtherPathDoes()
    {
        var token = await DemoTokenAsync();
        using var anonymous = _factory.CreateAnonymousClient();
        anonymous.Timeout = Timeout.InfiniteTimeSpan;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));

        using (var live = await anonymous.GetAsync($"/api/v1/alerts/live?access_token={token}", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            using var reader = new StreamReader(await live.Content.ReadAsStreamAsync(timeout.Token));
            Assert.Equal("event: ready", await reader.ReadLineAsync(timeout.Token));
        }

        using (var refused = await anonymous.GetAsync("/api/v1/alerts/live?access_token=not.a.token", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, null, "invalid_token");
        }

        using var elsewhere = await anonymous.GetAsync($"/api/v1/alerts?access_token={token}", timeout.Token);
        await elsewhere.AssertProblemAsync(HttpStatusCode.Unauthorized, null, "missing_token");
    }

    [Fact]
    public async Task ARefusedEventSourceStillGetsProblemJson()
    {
        using var anonymous = _factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts/live");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await anonymous.SendAsync(request, Ct);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, null, "missing_token");
    }

    private async Task<string> DemoTokenAsync()
    {
        using var anonymous = _factory.CreateAnonymousClient();
        return (await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/demo/token", Ct)).GetProperty("token").GetString()!;
    }

    private async Task<HttpClient> DashboardClientAsync() => _factory.CreateClientWithToken(await DemoTokenAsync());
}
