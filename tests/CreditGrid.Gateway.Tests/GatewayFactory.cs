using System.Net.Http.Headers;
using CreditGrid.Gateway.Security;
using CreditGrid.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// The gateway with its co-hosted silo, started once per collection. Each instance takes its own free silo and
/// gateway ports so collections can run side by side, and the demo feed stays off so only the tests write.
/// Every client it creates carries an <c>admin</c> token unless a test asks for another caller.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Small enough that the oversized-body case costs a few megabytes, large enough for 10,001 tiny records.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The <c>sub</c> of the default clients' admin token.</summary>
    public const string AdminSubject = "test-admin";

    private string? _adminToken;

    /// <summary>Settings applied after the defaults (a tiny rate limit, the demo on…); set before the server starts.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>Service changes applied after the gateway's own registrations; set before the server starts.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Signs tokens with the key this gateway validates against.</summary>
    public GatewayTokenIssuer Tokens => Services.GetRequiredService<GatewayTokenIssuer>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting rather than ConfigureAppConfiguration: Program reads the silo ports while building the host,
        // before app configuration callbacks would apply.
        builder.UseSetting("CreditGrid:Demo:Enabled", "false");
        builder.UseSetting("CreditGrid:Silo:SiloPort", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("CreditGrid:Silo:GatewayPort", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("CreditGrid:Ingest:MaxRecordsPerBatch", "10000");
        builder.UseSetting("CreditGrid:Ingest:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Traced grain calls, as where traces are exported, so every test's calls pass the tracing filters.
        builder.UseSetting("CreditGrid:Telemetry:GrainCallTracing", "true");
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (ConfigureServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        _adminToken ??= Issue(AdminSubject, [Roles.Admin], null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
    }

    /// <summary>A signed token for the given caller, valid for an hour.</summary>
    public string Issue(string subject, IReadOnlyList<string> roles, string? uscc, TimeSpan? lifetime = null) =>
        Tokens.Issue(new TokenRequest(subject, roles, uscc, lifetime ?? TimeSpan.FromHours(1))).Token;

    /// <summary>A client acting in <paramref name="role"/> (for <paramref name="uscc"/> when the role acts for an organisation).</summary>
    public HttpClient CreateClientFor(string role, string? uscc = null) =>
        CreateClientWithToken(Issue($"test-{role}-{uscc ?? "any"}", [role], uscc));

    public HttpClient CreateClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client that sends no token at all.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    // Starting the host here keeps silo start-up out of the first test's timing.
    public ValueTask InitializeAsync()
    {
        StartServer();
        return ValueTask.CompletedTask;
    }

}

/// <summary>Tests that write batches and read them back.</summary>
[CollectionDefinition(Name)]
public sealed class IngestCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "gateway-ingest";
}

/// <summary>Tests of the read APIs and input that must never get past validation; a second silo, run in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class QueryCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "gateway-query";
}
