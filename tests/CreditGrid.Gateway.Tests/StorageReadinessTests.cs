using System.Net;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// <c>/health/ready</c> follows PostgreSQL: a real server is started, the gateway reports ready, the server is
/// stopped, and the gateway reports not ready (503) while its cluster is still fine. The gateway's grains stay in
/// memory here; only the readiness check is pointed at the server, as <c>ConnectionStrings:CreditGrid</c> would.
/// </summary>
public sealed class StorageReadinessTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadinessIsServiceUnavailableOncePostgresStops()
    {
        var server = await PostgresServer.StartAsync(cancellationToken: Cancellation);
        var stopped = false;
        try
        {
            await using var plain = new GatewayFactory();
            await using var gateway = WithPostgresReadiness(plain, server.ConnectionString);
            var client = gateway.CreateClient();

            var ready = await Eventually.Until(() => client.GetAsync("/health/ready", Cancellation), r => r.StatusCode == HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            await server.DisposeAsync();
            stopped = true;

            using var down = await client.GetAsync("/health/ready", Cancellation);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            using var live = await client.GetAsync("/health/live", Cancellation);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            if (!stopped)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task CheckIsHealthyAgainstARunningServerAndUnhealthyAgainstAStoppedOne()
    {
        var server = await PostgresServer.StartAsync(cancellationToken: Cancellation);
        var connectionString = server.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var check = new PostgresHealthCheck(dataSource);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("postgresql", check, null, null) };

        var up = await check.CheckHealthAsync(context, Cancellation);
        await server.DisposeAsync();
        var down = await check.CheckHealthAsync(context, Cancellation);

        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.NotNull(down.Exception);
    }

    [Fact]
    public void NoConnectionStringMeansNoPostgresCheck()
    {
        var services = new ServiceCollection().AddLogging().AddOptions();
        var configuration = new ConfigurationBuilder().Build();

        services.AddHealthChecks().AddStorageReadiness(configuration);

        var registrations = services.BuildServiceProvider().GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.DoesNotContain(registrations, r => r.Name == "postgresql");
    }

    /// <summary>The in-memory gateway, with the PostgreSQL readiness check registered as a connection string would.</summary>
    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> WithPostgresReadiness(GatewayFactory gateway, string connectionString) =>
        gateway.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:CreditGrid"] = connectionString })
                .Build();
            services.AddHealthChecks().AddStorageReadiness(configuration);
        }));
}
