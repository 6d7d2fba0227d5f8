using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// <c>/api/v1/rules</c>: read the rules in force, activate a new version without a restart, re-evaluate a city.
/// The versions activated here change only the version name, so the scores other tests read stay the same.
/// </summary>
[Collection(QueryCollection.Name)]
public sealed class RulesApiTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ActivatingANewVersionMakesItTheRulesInForce()
    {
        var version = $"2026.{Random.Shared.Next(1000, 9999)}";
        var response = await PutRulesAsync(WithVersion(version));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("activated", answer.RootElement.GetProperty("outcome").GetString());

        var again = await PutRulesAsync(WithVersion(version));
        using var status = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/rules", Cancellation));
        var file = await _client.GetStringAsync("/api/v1/rules/file", Cancellation);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(version, status.RootElement.GetProperty("version").GetString());
        Assert.Equal("activated", status.RootElement.GetProperty("source").GetString());
        Assert.Contains(status.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("version").GetString() == version);
        Assert.Equal(version, CreditRules.Parse(file).Rules!.Version);
    }

    [Theory]
    [InlineData("dimensions.D3", "\"D3\": { \"base\": 40, \"max\": 100 },", "")]
    [InlineData("version", "\"version\": \"2026.2\"", "\"version\": \"v-next\"")]
    [InlineData("dimensions.D1.max", "\"D1\": { \"base\": 270, \"max\": 300 }", "\"D1\": { \"base\": 270, \"max\": -1 }")]
    public async Task RefusedFileNamesTheKeyAndChangesNothing(string field, string find, string replace)
    {
        var before = await _client.GetStringAsync("/api/v1/rules/file", Cancellation);
        var broken = CreditRules.DefaultFileText().Replace(find, replace);
        Assert.NotEqual(CreditRules.DefaultFileText(), broken);

        var response = await PutRulesAsync(broken);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, "invalid_rules");
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await _client.GetStringAsync("/api/v1/rules/file", Cancellation));
    }

    [Fact]
    public async Task ReusingAVersionNameForOtherContentIsAConflict()
    {
        var changed = CreditRules.DefaultFileText().Replace("\"General\": { \"points\": -30", "\"General\": { \"points\": -31");

        var response = await PutRulesAsync(changed);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "version", "version_reused");
    }

    [Fact]
    public async Task RulesMustBeJson()
    {
        var content = new StringContent("version: 2027.1", Encoding.UTF8, "text/yaml");

        var response = await _client.PutAsync("/api/v1/rules", content, Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type", "unsupported_media_type");
    }

    [Fact]
    public async Task CityReevaluationRunsInTheBackgroundAndReportsProgress()
    {
        var started = await _client.PostAsync("/api/v1/rules/reevaluations?city=610900", null, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("/api/v1/rules/reevaluations/610900", started.Headers.Location?.OriginalString);

        var progress = await Testing.Eventually.Until(
            async () => JsonDocument.Parse(await _client.GetStringAsync("/api/v1/rules/reevaluations/610900", Cancellation)).RootElement,
            p => p.GetProperty("finishedAt").ValueKind != JsonValueKind.Null);

        Assert.Equal("610900", progress.GetProperty("city").GetString());
        Assert.Equal(progress.GetProperty("subjects").GetInt32(), progress.GetProperty("done").GetInt32());
        Assert.Equal(0, progress.GetProperty("failed").GetInt32());
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest, "required")]
    [InlineData("?city=61", HttpStatusCode.BadRequest, "invalid_division_code")]
    [InlineData("?city=110000", HttpStatusCode.NotFound, "unknown_division")]
    [InlineData("?city=610000", HttpStatusCode.NotFound, "unknown_division")]
    public async Task ReevaluationNeedsAShaanxiCityOrCounty(string query, HttpStatusCode status, string reason)
    {
        var response = await _client.PostAsync("/api/v1/rules/reevaluations" + query, null, Cancellation);

        await response.AssertProblemAsync(status, "city", reason);
    }

    private Task<HttpResponseMessage> PutRulesAsync(string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return _client.PutAsync("/api/v1/rules", content, Cancellation);
    }

    private static string WithVersion(string version) =>
        CreditRules.DefaultFileText().Replace("\"version\": \"2026.2\"", $"\"version\": \"{version}\"");
}
