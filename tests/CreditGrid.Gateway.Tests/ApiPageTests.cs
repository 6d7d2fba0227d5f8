using System.Net;
using System.Text.RegularExpressions;

namespace CreditGrid.Gateway.Tests;

/// <summary>The browsable API page at <c>/api-docs</c> and the admin dashboard at <c>/dashboard</c> are served by the gateway itself.</summary>
[Collection(QueryCollection.Name)]
public sealed partial class ApiPageTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApiPageServesHtmlWhoseScriptsAreLocal()
    {
        using var page = await _client.GetAsync("/api-docs/", Cancellation);
        var html = await page.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            // Relative sources: the page must work without reaching any other host.
            Assert.False(Uri.TryCreate(script, UriKind.Absolute, out _), $"{script} is not served locally");
            using var asset = await _client.GetAsync(new Uri(new Uri(_client.BaseAddress!, "/api-docs/"), script), Cancellation);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{script}: {(int)asset.StatusCode}");
        }
    }

    [Fact]
    public async Task ApiPageWithoutTrailingSlashRedirectsToIt()
    {
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/api-docs", Cancellation);

        Assert.True((int)response.StatusCode is >= 300 and < 400, $"{(int)response.StatusCode}");
        Assert.Equal("/api-docs/", new Uri(new Uri(_client.BaseAddress!, "/api-docs"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task DashboardServesHtml()
    {
        using var response = await _client.GetAsync("/dashboard/", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();
}
