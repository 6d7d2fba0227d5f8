using CreditGrid.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// The gateway with its co-hosted silo, started once per collection. Each instance takes its own free silo and
/// gateway ports so collections can run side by side, and the demo feed stays off so only the tests write.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Small enough that the oversized-body case costs a few megabytes, large enough for 10,001 tiny records.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

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
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
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
