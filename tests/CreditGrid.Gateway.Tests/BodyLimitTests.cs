using System.Net;
using System.Net.Http.Headers;
using CreditGrid.Gateway.Protection;

namespace CreditGrid.Gateway.Tests;

/// <summary>The general request body limit, and ingest's own larger one.</summary>
[Collection(QueryCollection.Name)]
public sealed class BodyLimitTests(GatewayFactory factory)
{
    [Fact]
    public async Task ABodyOverTheGeneralLimitIsRefusedBeforeTheEndpoint()
    {
        using var client = factory.CreateClient();
        using var content = new ByteArrayContent(new byte[RequestBodyLimits.DefaultMaxBytes + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await client.PostAsync($"/api/v1/alerts/{Records.NewEnterprise()}/W1/acknowledge", content, TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body", "body_too_large");
    }

    [Fact]
    public async Task IngestKeepsItsOwnLargerLimit()
    {
        // Larger than the general limit, smaller than the test gateway's ingest limit: malformed, not too large.
        using var client = factory.CreateClient();
        var body = new byte[RequestBodyLimits.DefaultMaxBytes * 2];
        Array.Fill(body, (byte)' ');
        body[^1] = (byte)'x';

        using var response = await client.PostBytesAsync(body, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
    }
}
