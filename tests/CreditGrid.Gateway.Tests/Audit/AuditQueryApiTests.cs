using System.Globalization;
using System.Net;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary><c>GET /api/v1/audit</c>: filters, paging in sequence order, and refusal of bad filters.</summary>
[Collection(AuditCollection.Name)]
public sealed class AuditQueryApiTests(AuditGatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task FiltersSelectByCallerRoleSubjectAndAction()
    {
        var alice = "alice-" + Guid.NewGuid().ToString("N");
        var bob = "bob-" + Guid.NewGuid().ToString("N");
        var role = "role-" + Guid.NewGuid().ToString("N")[..8];
        var first = Records.NewEnterprise();
        var second = Records.NewEnterprise();

        await Read(alice, $"supervisor,{role}", $"/api/v1/enterprises/{first}");
        await Read(alice, "supervisor,other", $"/api/v1/enterprises/{second}/explanation");
        await Read(bob, $"monitoring,{role}", $"/api/v1/enterprises/{first}/explanation");
        await _client.AuditEventuallyAsync($"who={bob}", 1);
        await _client.AuditEventuallyAsync($"who={alice}", 2);

        Assert.Equal([alice, bob], (await _client.AuditAsync($"role={role}")).Records.Select(r => r.Who));
        Assert.Equal([(alice, "credit.read"), (bob, "credit.explain")], (await _client.AuditAsync($"subject={first}")).Records.Select(r => (r.Who, r.Action)));
        // A query of the log about a subject is itself recorded under that subject.
        var auditor = "auditor-" + Guid.NewGuid().ToString("N");
        await Read(auditor, "admin", $"/api/v1/audit?subject={first}");
        var trail = Assert.Single(await _client.AuditEventuallyAsync($"who={auditor}", 1));
        Assert.Equal(("audit.read", first, "/api/v1/audit/", 200), (trail.Action, trail.Subject, trail.Route, trail.Outcome));
        Assert.Equal([second], (await _client.AuditAsync($"who={alice}&action=credit.explain")).Records.Select(r => r.Subject));
        Assert.Equal([first], (await _client.AuditAsync($"subject={first.ToLowerInvariant()}&who={bob}")).Records.Select(r => r.Subject));
        Assert.Empty((await _client.AuditAsync($"who={bob}&action=credit.read")).Records);
    }

    [Fact]
    public async Task PagesFollowTheSequenceWithAfterAndLimit()
    {
        var caller = "pager-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 5; i++)
        {
            await Read(caller, "supervisor", $"/api/v1/enterprises/{Records.NewEnterprise()}");
        }

        var all = await _client.AuditEventuallyAsync($"who={caller}", 5);

        var page1 = await _client.AuditAsync($"who={caller}&limit=2");
        var page2 = await _client.AuditAsync($"who={caller}&limit=2&after={page1.Next}");
        var page3 = await _client.AuditAsync($"who={caller}&limit=2&after={page2.Next}");

        Assert.Equal(all.Select(r => r.Sequence), page1.Records.Concat(page2.Records).Concat(page3.Records).Select(r => r.Sequence));
        Assert.Equal(page1.Records[^1].Sequence, page1.Next);
        Assert.Single(page3.Records);
        Assert.Null(page3.Next);
    }

    [Fact]
    public async Task TimeWindowIsFromInclusiveToExclusive()
    {
        var caller = "clock-" + Guid.NewGuid().ToString("N");
        await Read(caller, "supervisor", $"/api/v1/enterprises/{Records.NewEnterprise()}");
        var record = Assert.Single(await _client.AuditEventuallyAsync($"who={caller}", 1));
        string At(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));

        Assert.Single((await _client.AuditAsync($"who={caller}&from={At(record.Time)}&to={At(record.Time.AddTicks(10))}")).Records);
        Assert.Empty((await _client.AuditAsync($"who={caller}&to={At(record.Time)}")).Records);
        Assert.Empty((await _client.AuditAsync($"who={caller}&from={At(record.Time.AddTicks(10))}")).Records);
        var today = record.Time.ToOffset(TimeSpan.FromHours(8));
        Assert.Single((await _client.AuditAsync($"who={caller}&from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}")).Records);
    }

    [Theory]
    [InlineData("limit=0", "limit", "invalid_value")]
    [InlineData("limit=1001", "limit", "invalid_value")]
    [InlineData("limit=many", "limit", "invalid_value")]
    [InlineData("after=-1", "after", "invalid_value")]
    [InlineData("after=x", "after", "invalid_value")]
    [InlineData("from=yesterday", "from", "invalid_date")]
    [InlineData("from=2026-03-01T08:00:00", "from", "invalid_date")]
    [InlineData("to=2026-13-01", "to", "invalid_date")]
    [InlineData("from=2026-03-02&to=2026-03-01", "to", "invalid_range")]
    [InlineData("subject=91610103MA6TGXX", "subject", "WRONG_FORMAT")]
    [InlineData("action=Credit%20Read", "action", "invalid_value")]
    [InlineData("who=%20padded", "who", "invalid_value")]
    public async Task BadFilterIs400NamingTheField(string query, string field, string reason)
    {
        using var response = await _client.GetAsync("/api/v1/audit?" + query, TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, reason);
    }

    [Fact]
    public async Task ReadingTheAuditLogIsAuditedToo()
    {
        var auditor = "auditor-" + Guid.NewGuid().ToString("N");

        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit?limit=0").As(auditor, "admin"))).Dispose();
        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/verify").As(auditor, "admin"))).Dispose();

        var records = await _client.AuditEventuallyAsync($"who={auditor}", 2);
        Assert.Equal([("audit.read", 400), ("audit.verify", 200)], records.Select(r => (r.Action, r.Outcome)));
    }

    private async Task Read(string caller, string roles, string path) =>
        (await _client.CallAsync(new HttpRequestMessage(HttpMethod.Get, path).As(caller, roles))).Dispose();
}
