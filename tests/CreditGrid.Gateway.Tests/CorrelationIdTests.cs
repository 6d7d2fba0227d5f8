using System.Net;
using CreditGrid.Gateway.Protection;
using CreditGrid.Gateway.Security;

namespace CreditGrid.Gateway.Tests;

/// <summary>Every answer carries <c>X-Correlation-Id</c>, and every ProblemDetails the same id in <c>correlationId</c>.</summary>
[Collection(QueryCollection.Name)]
public sealed class CorrelationIdTests(GatewayFactory factory)
{
    public static TheoryData<string, string, int> Errors() => new()
    {
        { "no token", "/api/v1/cities", 401 },
        { Roles.Public, "/api/v1/alerts", 403 },
        { Roles.Admin, "/api/v1/enterprises/NOT-A-CODE", 400 },
        { Roles.Admin, "/api/v1/cities/999999", 404 },
        { Roles.Admin, "/no/such/route", 404 },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task AnIncomingIdIsEchoedInTheHeaderAndTheProblem(string caller, string path, int status)
    {
        using var client = Client(caller);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(CorrelationIds.Header, "req-7f3a:batch.12_x");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("req-7f3a:batch.12_x", Header(response));
        Assert.Equal("req-7f3a:batch.12_x", await ProblemIdAsync(response));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task WithoutAnIncomingIdOneIsGeneratedAndSharedByHeaderAndProblem(string caller, string path, int status)
    {
        using var client = Client(caller);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        var id = Header(response);
        Assert.True(CorrelationIds.IsValid(id), id);
        Assert.Equal(id, await ProblemIdAsync(response));
    }

    [Theory]
    [InlineData("has spaces in it")]
    [InlineData("<script>")]
    [InlineData("line\u00e9break")]
    public async Task AnUnsafeIncomingIdIsReplaced(string unsafeId)
    {
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cities");
        request.Headers.TryAddWithoutValidation(CorrelationIds.Header, unsafeId);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var id = Header(response);
        Assert.NotEqual(unsafeId, id);
        Assert.True(CorrelationIds.IsValid(id), id);
        Assert.Equal(id, await ProblemIdAsync(response));
    }

    [Fact]
    public async Task AnIdOverTheLengthLimitIsReplaced()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cities/610100");
        request.Headers.Add(CorrelationIds.Header, new string('a', CorrelationIds.MaxLength + 1));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(32, Header(response).Length);
    }

    [Fact]
    public async Task SuccessfulAnswersCarryTheHeaderToo()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cities/610100");
        request.Headers.Add(CorrelationIds.Header, "ok-1");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok-1", Header(response));
    }

    private HttpClient Client(string caller) =>
        caller == "no token" ? factory.CreateAnonymousClient() : factory.CreateClientFor(caller);

    private static string Header(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues(CorrelationIds.Header));

    private static async Task<string?> ProblemIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var problem = Api.AssertWellFormedProblem(response, text);
        return problem.TryGetProperty("correlationId", out var id) ? id.GetString() : null;
    }
}
