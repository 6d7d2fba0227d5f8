using System.Net;
using System.Text.Json.Nodes;
using CreditGrid.Gateway.OpenApi;
using CreditGrid.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests;

/// <summary><c>/openapi/v1.json</c> documents every <c>/api/v1</c> endpoint the gateway maps, with examples that work.</summary>
[Collection(QueryCollection.Name)]
public sealed class OpenApiDocumentTests(GatewayFactory factory)
{
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "patch"];
    private readonly HttpClient _client = factory.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DocumentListsExactlyTheApiRoutesTheAppMaps()
    {
        var document = await DocumentAsync();

        var documented = Operations(document).Select(o => o.Key).ToHashSet();
        var mapped = MappedApiOperations();
        Assert.NotEmpty(mapped);
        Assert.True(mapped.SetEquals(documented),
            $"Mapped but undocumented: [{string.Join(", ", mapped.Except(documented))}]; documented but not mapped: [{string.Join(", ", documented.Except(mapped))}]");
    }

    [Fact]
    public async Task EveryOperationHasASummaryASuccessAnswerAndProblemAnswers()
    {
        var document = await DocumentAsync();

        foreach (var (key, operation) in Operations(document))
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{key} has no summary");
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{key} documents no success answer");
            Assert.True(responses.ContainsKey("503"), $"{key} does not document the unreachable cluster");
            foreach (var (status, _) in ApiErrorCatalog.Problems.GetValueOrDefault(key) ?? [])
            {
                var response = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                Assert.True(response?["content"]?["application/problem+json"] is not null, $"{key} lacks its {status} ProblemDetails answer");
            }
        }
    }

    [Fact]
    public void ErrorCatalogNamesOnlyMappedOperations()
    {
        var mapped = MappedApiOperations();

        Assert.All(ApiErrorCatalog.Problems.Keys, key => Assert.Contains(key, mapped));
    }

    [Fact]
    public async Task DocumentDeclaresTheBearerJwtScheme()
    {
        var document = await DocumentAsync();

        var bearer = document["components"]?["securitySchemes"]?["Bearer"];
        Assert.NotNull(bearer);
        Assert.Equal("http", (string?)bearer["type"]);
        Assert.Equal("bearer", (string?)bearer["scheme"]);
        Assert.Equal("JWT", (string?)bearer["bearerFormat"]);
    }

    [Fact]
    public async Task EventsExamplesInBothMediaTypesAreAcceptedByTheGateway()
    {
        var document = await DocumentAsync();
        var content = document["paths"]!["/api/v1/events"]!["post"]!["requestBody"]!["content"]!;
        var array = content["application/json"]!["examples"]!.AsObject().Single().Value!["value"]!.AsArray();
        var ndjson = (string)content["application/x-ndjson"]!["examples"]!.AsObject().Single().Value!["value"]!;
        Assert.True(array.Count >= 2, "The JSON example should show a batch, not a single record.");
        Assert.Equal(array.Count, ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var first = await _client.SubmitAsync(array);
        using var second = await _client.PostRawAsync(ndjson, Api.Ndjson);
        var again = await second.ReadBatchAsync();

        // Either may find the records already logged by an earlier run of this test in the same silo; none is rejected.
        Assert.Equal((array.Count, 0), (first.Accepted + first.Duplicates, first.Rejected));
        Assert.Equal((0, array.Count, 0), (again.Accepted, again.Duplicates, again.Rejected));
    }

    [Fact]
    public async Task MainReadsCarryExamplesShapedLikeTheLiveAnswer()
    {
        var document = await DocumentAsync();
        var enterprise = Records.NewEnterprise();
        var batch = Records.SeveralKinds(enterprise);
        batch.Add(Records.SeriousListing(enterprise));
        await _client.SubmitAsync(batch);
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 6);
        await Eventually.Until(() => _client.GetStringAsync($"/api/v1/alerts?subject={enterprise}", Cancellation), text => text != "[]");

        var reads = new Dictionary<string, string>
        {
            ["/api/v1/enterprises/{uscc}"] = $"/api/v1/enterprises/{enterprise}",
            ["/api/v1/enterprises/{uscc}/explanation"] = $"/api/v1/enterprises/{enterprise}/explanation",
            ["/api/v1/cities/{code}"] = "/api/v1/cities/610100",
            ["/api/v1/cities"] = "/api/v1/cities?level=city",
            ["/api/v1/alerts"] = $"/api/v1/alerts?subject={enterprise}",
        };
        foreach (var (path, live) in reads)
        {
            var example = document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["examples"]?.AsObject().FirstOrDefault().Value?["value"];
            Assert.True(example is not null, $"GET {path} has no response example");
            var answer = JsonNode.Parse(await _client.GetStringAsync(live, Cancellation))!;
            Assert.Equal(ShapeOf(answer), ShapeOf(example));
        }
    }

    /// <summary>Every <c>/api/v1</c> route the running app maps, keyed like the document's operations.</summary>
    private HashSet<string> MappedApiOperations() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();

    private async Task<JsonNode> DocumentAsync()
    {
        using var response = await _client.GetAsync("/openapi/v1.json", Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    private static IEnumerable<KeyValuePair<string, JsonNode>> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => HttpMethods.Contains(op.Key))
            .Select(op => KeyValuePair.Create($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!)));

    /// <summary>The member names of an answer, or of its first element when it is a list.</summary>
    private static string ShapeOf(JsonNode? node) => node switch
    {
        JsonObject obj => string.Join(',', obj.Select(p => p.Key).Order(StringComparer.Ordinal)),
        JsonArray { Count: > 0 } array => "[" + ShapeOf(array[0]) + "]",
        JsonArray => "[]",
        _ => node?.GetValueKind().ToString() ?? "null",
    };
}
