using System.Net;
using System.Text.Json;

namespace CreditGrid.Gateway.Tests;

/// <summary><c>GET /api/v1/ping</c>, the constant baseline of the lookup benchmark.</summary>
[Collection(QueryCollection.Name)]
public sealed class PingApiTests(GatewayFactory factory)
{
    [Fact]
    public async Task PingAnswersAConstantJsonObject()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/api/v1/ping", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
    }
}
