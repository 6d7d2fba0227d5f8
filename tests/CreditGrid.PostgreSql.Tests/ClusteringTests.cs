using CreditGrid.Hosting.PostgreSql;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace CreditGrid.PostgreSql.Tests;

public sealed class ClusteringTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Two_silos_form_a_cluster_and_the_survivor_and_a_client_carry_on_when_one_stops_abruptly()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("clustering", ct);

        await using var first = await TestSilo.StartAsync(connectionString, "cluster-a", ct);
        await using var second = await TestSilo.StartAsync(connectionString, "cluster-a", ct);
        var membership = first.Services.GetRequiredService<IClusterMembershipService>();
        var secondAddress = second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        await TestSilo.WaitUntilAsync(
            () => Task.FromResult(membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2),
            TimeSpan.FromSeconds(30),
            "the first silo sees two active silos",
            ct);
        Assert.Equal(2L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership WHERE status = 3", ct));

        using var client = await StartClientAsync(connectionString, "cluster-a", ct);
        await client.Services.GetRequiredService<IClusterClient>().GetGrain<ICounterGrain>(98).IncrementAsync();

        // In process, an aborted stop still lets the silo record its own death; CrashDetectionTests covers a real kill.
        await second.KillAsync();

        await TestSilo.WaitUntilAsync(
            () => Task.FromResult(membership.CurrentSnapshot.GetSiloStatus(secondAddress) == SiloStatus.Dead),
            TimeSpan.FromSeconds(45),
            "the survivor declares the killed silo dead",
            ct);

        // A client that found the cluster through the gateway rows keeps working on the survivor. A call that was
        // routed through the dead gateway before the client noticed may time out, so a few attempts are allowed.
        Assert.Equal(1, await CallWithRetriesAsync(() => client.Services.GetRequiredService<IClusterClient>().GetGrain<ICounterGrain>(99).IncrementAsync()));

        Assert.Equal(1L, await Databases.ScalarAsync<long>(
            connectionString,
            $"SELECT count(*) FROM orleans_membership WHERE port = {secondAddress.Endpoint.Port} AND generation = {secondAddress.Generation} AND status = 6",
            ct));
        Assert.Equal(SiloStatus.Active, membership.CurrentSnapshot.GetSiloStatus(first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress));
    }

    private static async Task<T> CallWithRetriesAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (attempt < 4 && ex is TimeoutException or OrleansException)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task<IHost> StartClientAsync(string connectionString, string clusterId, CancellationToken ct)
    {
        var client = new HostBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(c => c
                .UseCreditGridPostgresClustering(connectionString)
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = clusterId + "-service";
                })
                .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1))
                .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)))
            .Build();
        await client.StartAsync(ct);
        return client;
    }

    [Fact]
    public async Task Silos_starting_together_on_an_empty_database_migrate_it_and_clusters_stay_isolated()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        // Not migrated: each silo migrates at its first lifecycle stage, and the two race for the advisory lock.
        var connectionString = await postgres.CreateUniqueDatabaseAsync("clustering_iso", ct);

        var started = await Task.WhenAll(
            TestSilo.StartAsync(connectionString, "cluster-x", ct),
            TestSilo.StartAsync(connectionString, "cluster-y", ct));
        await using var a = started[0];
        await using var b = started[1];

        var members = a.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members;
        Assert.Single(members);
        Assert.Equal(2L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership_version", ct));

        // The server runs in a non-UTC time zone; a timestamp column would have shifted the start time by hours.
        var startTime = await Databases.ScalarAsync<DateTime>(connectionString, "SELECT max(start_time) FROM orleans_membership", ct);
        Assert.InRange(startTime, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
    }
}
