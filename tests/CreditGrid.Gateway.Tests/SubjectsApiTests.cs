using CreditGrid.Testing;
using System.Net;
using System.Text.Json.Nodes;

namespace CreditGrid.Gateway.Tests;

/// <summary><c>GET /api/v1/enterprises/{uscc}</c> and <c>GET /api/v1/government-bodies/{uscc}</c>.</summary>
[Collection(IngestCollection.Name)]
public sealed class SubjectsApiTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("WRONG_FORMAT")]
    [InlineData("WRONG_AUTHORITY")]
    [InlineData("WRONG_REGION")]
    [InlineData("WRONG_ORGCODE_CHECK")]
    [InlineData("WRONG_CHECK")]
    public async Task InvalidCodeIs400WithTheFailureCode(string failure)
    {
        using var enterprise = await _client.GetAsync($"/api/v1/enterprises/{BadCodes.For(failure)}", TestContext.Current.CancellationToken);
        using var body = await _client.GetAsync($"/api/v1/government-bodies/{BadCodes.For(failure)}", TestContext.Current.CancellationToken);

        await enterprise.AssertProblemAsync(HttpStatusCode.BadRequest, "uscc", failure);
        await body.AssertProblemAsync(HttpStatusCode.BadRequest, "uscc", failure);
    }

    [Fact]
    public async Task UnknownValidCodeIs404()
    {
        using var response = await _client.GetAsync($"/api/v1/enterprises/{Records.NewEnterprise()}", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "unknown_subject");
    }

    [Fact]
    public async Task GovernmentBodyOnTheEnterprisePathIs404WrongSubjectKind()
    {
        var code = Records.NewGovernmentBody();

        using var response = await _client.GetAsync($"/api/v1/enterprises/{code}", TestContext.Current.CancellationToken);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "wrong_subject_kind");
        Assert.Contains($"/api/v1/government-bodies/{code}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterpriseOnTheGovernmentBodyPathIs404WrongSubjectKind()
    {
        using var response = await _client.GetAsync($"/api/v1/government-bodies/{Records.NewEnterprise()}", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "wrong_subject_kind");
    }

    [Fact]
    public async Task GovernmentBodyWithRecordsIsFound()
    {
        var code = Records.NewGovernmentBody("610100");
        var answer = await _client.SubmitAsync(new JsonArray(Records.Contract(code), Records.Penalty(code)));
        Assert.Equal(2, answer.Accepted);

        var view = await Eventually.Until(
            async () => (await _client.GetAsync<SubjectAnswer>($"/api/v1/government-bodies/{code}")).Body,
            v => v?.LastAppliedSequence == 2);

        Assert.NotNull(view);
        Assert.Equal(code, view.Uscc);
        Assert.Equal("GovernmentBody", view.SubjectType);
        Assert.Equal(2, view.LastAppliedSequence);
        Assert.InRange(view.Score, 0, 1000);
        Assert.Equal("610100", view.DivisionCode);
    }

    [Fact]
    public async Task LowerCaseAndPaddedCodesAreNormalised()
    {
        var code = Records.NewEnterprise();
        await _client.SubmitAsync(new JsonArray(Records.Licence(code)));
        await _client.EnterpriseEventuallyAsync(code, v => v.LastAppliedSequence == 1);

        var (status, view) = await _client.GetAsync<SubjectAnswer>($"/api/v1/enterprises/%20{code.ToLowerInvariant()}%20");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(code, view!.Uscc);
    }

    [Fact]
    public async Task UnknownRouteIs404ProblemWithTraceId()
    {
        using var response = await _client.GetAsync("/api/v1/nothing-here", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, field: null, reason: null);
    }
}
