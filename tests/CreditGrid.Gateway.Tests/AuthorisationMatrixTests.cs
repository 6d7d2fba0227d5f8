using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CreditGrid.Gateway.Security;
using CreditGrid.Testing;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// Every endpoint × every caller → the status the roles table promises. 401 and 403 answers are ProblemDetails whose
/// reason says why; 2xx and 404 show the request got past authorisation to the endpoint itself.
/// </summary>
[Collection(QueryCollection.Name)]
public sealed class AuthorisationMatrixTests(GatewayFactory factory)
{
    private static readonly Lock SeedLock = new();
    private static Task<(string Enterprise, string GovernmentBody)>? _seed;

    /// <summary>One line per endpoint; columns are <see cref="Callers.All"/>.</summary>
    private static readonly Dictionary<string, int[]> Expected = new()
    {
        //                                      none bad  exp  dept sup  mon  bank ent  pub  admin
        ["POST /api/v1/events"] =               [401, 401, 401, 202, 403, 403, 403, 403, 403, 202],
        ["GET /api/v1/enterprises/{E}"] =       [401, 401, 401, 200, 200, 200, 403, 200, 403, 200],
        ["GET /api/v1/enterprises/{E}/explanation"] = [401, 401, 401, 200, 200, 200, 403, 200, 403, 200],
        ["GET /api/v1/government-bodies/{G}"] = [401, 401, 401, 200, 200, 200, 403, 403, 403, 200],
        ["GET /api/v1/alerts"] =                [401, 401, 401, 403, 200, 200, 403, 403, 403, 200],
        ["GET /api/v1/alerts/live"] =           [401, 401, 401, 403, 200, 200, 403, 403, 403, 200],
        ["POST /api/v1/alerts/{E}/W999/acknowledge"] = [401, 401, 401, 403, 404, 404, 403, 403, 403, 404],
        ["GET /api/v1/cities"] =                [401, 401, 401, 200, 200, 200, 200, 200, 200, 200],
        ["GET /api/v1/cities/610100"] =         [401, 401, 401, 200, 200, 200, 200, 200, 200, 200],
        // The demo is off in the test gateway: past authorisation, the endpoint itself answers 404.
        ["GET /api/v1/demo/subjects"] =         [401, 401, 401, 404, 404, 404, 404, 404, 404, 404],
        ["GET /api/v1/demo/token"] =            [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ["GET /health/live"] =                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ["GET /api/v1/ping"] =                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ["GET /openapi/v1.json"] =              [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ["GET /api/v1/public/subjects?q={E}"] = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ["GET /api/v1/public/reports/AAAA-BBBB-CCCC-DDDD"] = [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ["GET /api/v1/enterprises/{E}/report.pdf"] = [401, 401, 401, 403, 200, 403, 403, 200, 403, 200],
        ["GET /api/v1/enterprises/{E}/authorisations"] = [401, 401, 401, 403, 403, 403, 403, 200, 403, 200],
        ["GET /api/v1/precredit/figures"] =     [401, 401, 401, 403, 200, 403, 200, 403, 403, 200],
        ["GET /api/v1/precredit/drift"] =       [401, 401, 401, 403, 403, 403, 403, 403, 403, 200],
        ["GET /api/v1/rules"] =                 [401, 401, 401, 403, 403, 403, 403, 403, 403, 200],
        ["GET /api/v1/rules/file"] =            [401, 401, 401, 403, 403, 403, 403, 403, 403, 200],
        ["GET /api/v1/audit"] =                 [401, 401, 401, 403, 403, 403, 403, 403, 403, 200],
        ["GET /api/v1/audit/verify"] =          [401, 401, 401, 403, 403, 403, 403, 403, 403, 200],
    };

    public static TheoryData<string, string, int> Cases()
    {
        var cases = new TheoryData<string, string, int>();
        foreach (var (endpoint, statuses) in Expected)
        {
            Assert.Equal(Callers.All.Length, statuses.Length);
            for (var i = 0; i < statuses.Length; i++)
            {
                cases.Add(endpoint, Callers.All[i], statuses[i]);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EndpointAnswersCallerAsTheRolesTableSays(string endpoint, string caller, int expected)
    {
        var (enterprise, governmentBody) = await SeedAsync();
        var parts = endpoint.Split(' ');
        var path = parts[1].Replace("{E}", enterprise, StringComparison.Ordinal).Replace("{G}", governmentBody, StringComparison.Ordinal);
        using var client = Callers.Client(factory, caller, enterprise);
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), path);
        if (path == Api.Events)
        {
            var record = Records.Licence(Records.NewEnterprise());
            request.Content = new StringContent(new JsonArray(record).ToJsonString(), Encoding.UTF8, "application/json");
        }

        // The live feed never ends: only the status line and headers are awaited.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        Assert.True((int)response.StatusCode == expected, $"{endpoint} as {caller}: expected {expected}, got {(int)response.StatusCode}");
        if (expected is 401 or 403)
        {
            await response.AssertProblemAsync((HttpStatusCode)expected, field: null, ExpectedReason(caller, expected, endpoint));
        }

        if (expected == 401)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme);
        }
    }

    private static string ExpectedReason(string caller, int status, string endpoint) => (status, caller) switch
    {
        (401, Callers.None) => "missing_token",
        (401, Callers.BadSignature) => "invalid_signature",
        (401, Callers.Expired) => "token_expired",
        (403, Roles.Bank) when endpoint.Contains("/enterprises/", StringComparison.Ordinal) && !endpoint.Contains("/authorisations", StringComparison.Ordinal) => SubjectAccess.NoAuthorisation,
        _ => SubjectAccess.RoleNotPermitted,
    };

    /// <summary>An enterprise and a government body with one record each, folded, shared by every case.</summary>
    private Task<(string Enterprise, string GovernmentBody)> SeedAsync()
    {
        lock (SeedLock)
        {
            return _seed ??= SeedOnceAsync(factory);
        }
    }

    private static async Task<(string, string)> SeedOnceAsync(GatewayFactory factory)
    {
        var enterprise = Records.NewEnterprise();
        var governmentBody = Records.NewGovernmentBody();
        using var admin = factory.CreateClient();
        var answer = await admin.SubmitAsync(new JsonArray(Records.Licence(enterprise), Records.Contract(governmentBody)));
        Assert.Equal(2, answer.Accepted);
        await admin.EnterpriseEventuallyAsync(enterprise, _ => true);
        await Eventually.Until(async () => (await admin.GetAsync<SubjectAnswer>($"/api/v1/government-bodies/{governmentBody}")).Status, s => s == HttpStatusCode.OK);
        return (enterprise, governmentBody);
    }
}
