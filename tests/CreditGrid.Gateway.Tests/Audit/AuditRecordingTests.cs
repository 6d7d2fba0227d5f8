using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Testing;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>Every credit read, explanation, ingest and warning action leaves one audit record with who, what and how it ended.</summary>
[Collection(AuditCollection.Name)]
public sealed class AuditRecordingTests(AuditGatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string NewCaller() => "user-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task EnterpriseReadIsRecordedWithCallerSubjectPurposeAndOutcome()
    {
        var code = Records.NewEnterprise();
        await _client.SubmitAsync(new JsonArray(Records.Licence(code)));
        await _client.EnterpriseEventuallyAsync(code, v => v.LastAppliedSequence == 1);
        var caller = NewCaller();
        var bank = Records.NewEnterprise("610100");

        using var response = await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/enterprises/{code.ToLowerInvariant()}")
            .As(caller, "supervisor, monitoring", bank, purpose: "loan-review 2026-117", correlation: "corr-" + caller));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = Assert.Single(await _client.AuditEventuallyAsync($"who={caller}", 1));
        Assert.Equal("credit.read", record.Action);
        Assert.Equal(code, record.Subject);
        Assert.Equal(200, record.Outcome);
        Assert.Equal(["supervisor", "monitoring"], record.Roles);
        Assert.Equal(bank, record.Organisation);
        Assert.Equal("loan-review 2026-117", record.Purpose);
        Assert.Equal("corr-" + caller, record.CorrelationId);
        Assert.Equal("GET", record.Method);
        Assert.Equal("/api/v1/enterprises/{uscc}", record.Route);
        Assert.InRange(record.Time, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Matches("^[0-9a-f]{64}$", record.Hash);
    }

    [Fact]
    public async Task RefusedReadsAreRecordedWithTheirStatus()
    {
        var caller = NewCaller();
        var unknown = Records.NewEnterprise();
        var body = Records.NewGovernmentBody();

        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/enterprises/{unknown}").As(caller))).Dispose();
        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/enterprises/NOT-A-CODE").As(caller))).Dispose();
        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/enterprises/{body}/explanation").As(caller))).Dispose();

        var records = await _client.AuditEventuallyAsync($"who={caller}", 3);
        Assert.Equal(
            [("credit.read", unknown, 404), ("credit.read", "NOT-A-CODE", 400), ("credit.explain", body, 404)],
            records.Select(r => (r.Action, r.Subject, r.Outcome)));
    }

    [Fact]
    public async Task ReadsForbiddenForTheSubjectAreRecorded()
    {
        var caller = NewCaller();
        var own = Records.NewEnterprise();
        var other = Records.NewEnterprise();

        using var response = await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/enterprises/{other}").As(caller, "enterprise", own));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var record = Assert.Single(await _client.AuditEventuallyAsync($"who={caller}", 1));
        Assert.Equal(("credit.read", other, 403, own), (record.Action, record.Subject, record.Outcome, record.Organisation));
    }

    [Fact]
    public async Task ExplanationAndGovernmentBodyReadsAreRecorded()
    {
        var enterprise = Records.NewEnterprise();
        var body = Records.NewGovernmentBody("610100");
        await _client.SubmitAsync(new JsonArray(Records.Penalty(enterprise), Records.Contract(body)));
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 1);
        await Eventually.Until(async () => (await _client.GetAsync<SubjectAnswer>($"/api/v1/government-bodies/{body}")).Status, s => s == HttpStatusCode.OK);
        var caller = NewCaller();

        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/enterprises/{enterprise}/explanation").As(caller, "supervisor"))).Dispose();
        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/government-bodies/{body}").As(caller, "supervisor"))).Dispose();

        var records = await _client.AuditEventuallyAsync($"who={caller}", 2);
        Assert.Equal(
            [("credit.explain", enterprise, 200, "/api/v1/enterprises/{uscc}/explanation"), ("credit.read", body, 200, "/api/v1/government-bodies/{uscc}")],
            records.Select(r => (r.Action, r.Subject, r.Outcome, r.Route)));
    }

    [Fact]
    public async Task IngestIsOneRecordPerBatchWithItsCounts()
    {
        var caller = NewCaller();
        var code = Records.NewEnterprise();
        var bad = Records.Licence(code);
        bad["subjectId"] = "WRONG";
        var batch = new JsonArray(Records.Licence(code), Records.Penalty(code), bad);
        var json = batch.ToJsonString();

        using var first = await _client.CallAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") }
            .As(caller, "department", Records.Department));
        using var again = await _client.CallAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") }
            .As(caller, "department", Records.Department));
        using var empty = await _client.CallAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent("[]", Encoding.UTF8, "application/json") }
            .As(caller, "department", Records.Department));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var records = await _client.AuditEventuallyAsync($"who={caller}&action=events.write", 3);
        Assert.All(records, r => Assert.Equal(("POST", "/api/v1/events/", Records.Department, (string?)null), (r.Method, r.Route, r.Organisation, r.Subject)));
        Assert.Equal([202, 202, 400], records.Select(r => r.Outcome));
        Assert.Equal(Counts(3, 2, 0, 1), Counts(records[0].Details));
        Assert.Equal(Counts(3, 0, 2, 1), Counts(records[1].Details));
        Assert.Null(records[2].Details);
    }

    [Fact]
    public async Task ACallerWithoutSubIsRecordedAsAnonymous()
    {
        var code = Records.NewEnterprise();
        var correlation = "anon-" + Guid.NewGuid().ToString("N");
        // Public lookups are the anonymous reads of credit information; an empty test identity sends no caller.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/public/subjects?q={code}");
        request.Headers.Add("X-Correlation-Id", correlation);
        request.Headers.Add(AuditGatewayFactory.SubHeader, "");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        // The action filter matters: each poll of the audit log by subject is itself recorded under that subject.
        var record = Assert.Single(await _client.AuditEventuallyAsync("who=anonymous&action=public.read", 1));
        Assert.Equal(("anonymous", correlation, (int)response.StatusCode), (record.Who, record.CorrelationId, record.Outcome));
        Assert.Empty(record.Roles);
        Assert.Null(record.Organisation);
        Assert.Null(record.Purpose);
    }

    [Fact]
    public async Task AlertQueriesAndWarningActionsAreRecorded()
    {
        var caller = NewCaller();
        var code = Records.NewEnterprise();

        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/alerts?subject={code}&severity=red").As(caller, "monitoring"))).Dispose();
        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/alerts/{code}/W1/acknowledge").As(caller, "monitoring"))).Dispose();
        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/alerts/{code}/W1/shred").As(caller, "monitoring"))).Dispose();

        var records = await _client.AuditEventuallyAsync($"who={caller}", 3);
        Assert.Equal(
            [("alerts.read", code, 200), ("alerts.act", code, 404), ("alerts.act", code, 400)],
            records.Select(r => (r.Action, r.Subject, r.Outcome)));
        Assert.Equal("""{"warning":"W1","action":"shred"}""", records[2].Details);
    }

    [Fact]
    public async Task SequencesIncreaseAndTheChainVerifies()
    {
        var caller = NewCaller();
        for (var i = 0; i < 5; i++)
        {
            (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/enterprises/{Records.NewEnterprise()}").As(caller))).Dispose();
        }

        var records = await _client.AuditEventuallyAsync($"who={caller}", 5);
        Assert.True(records.Zip(records.Skip(1)).All(p => p.Second.Sequence > p.First.Sequence));

        var verification = await _client.VerifyAsync();
        Assert.NotNull(verification);
        Assert.True(verification.Intact, $"broken at {verification.FirstBrokenSequence}: {verification.Reason}");
        Assert.Null(verification.FirstBrokenSequence);
        Assert.True(verification.LastSequence >= records[^1].Sequence);
        Assert.Equal(verification.LastSequence, verification.RecordsChecked);
    }

    private static (int, int, int, int) Counts(int records, int accepted, int duplicates, int rejected) => (records, accepted, duplicates, rejected);

    private static (int, int, int, int) Counts(string? details)
    {
        Assert.NotNull(details);
        var json = JsonDocument.Parse(details).RootElement;
        return (json.GetProperty("records").GetInt32(), json.GetProperty("accepted").GetInt32(), json.GetProperty("duplicates").GetInt32(), json.GetProperty("rejected").GetInt32());
    }
}
