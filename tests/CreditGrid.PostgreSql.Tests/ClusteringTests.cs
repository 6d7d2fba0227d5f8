using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace CreditGrid.PostgreSql.Tests;

public sealed class ClusteringTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Two_silos_form_a_cluster_and_the_survivor_declares_a_killed_silo_dead()
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

        await second.KillAsync();

        await TestSilo.WaitUntilAsync(
            () => Task.FromResult(membership.CurrentSnapshot.GetSiloStatus(secondAddress) == SiloStatus.Dead),
            TimeSpan.FromSeconds(45),
            "the survivor declares the killed silo dead",
            ct);

        // The killed silo never wrote its own death: the row carries the survivor's suspicion vote.
        var suspectTimes = await Databases.ScalarAsync<string>(
            connectionString,
            $"SELECT suspect_times FROM orleans_membership WHERE port = {secondAddress.Endpoint.Port} AND generation = {secondAddress.Generation} AND status = 6",
            ct);
        Assert.False(string.IsNullOrEmpty(suspectTimes));
        Assert.Equal(SiloStatus.Active, membership.CurrentSnapshot.GetSiloStatus(first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress));
    }

    [Fact]
    public async Task Clusters_sharing_the_tables_are_isolated_and_timestamps_round_trip_in_utc()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("clustering_iso", ct);

        await using var a = await TestSilo.StartAsync(connectionString, "cluster-x", ct);
        await using var b = await TestSilo.StartAsync(connectionString, "cluster-y", ct);

        var members = a.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members;
        Assert.Single(members);
        Assert.Equal(2L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership_version", ct));

        // The server runs in a non-UTC time zone; a timestamp column would have shifted the start time by hours.
        var startTime = await Databases.ScalarAsync<DateTime>(connectionString, "SELECT max(start_time) FROM orleans_membership", ct);
        Assert.InRange(startTime, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
    }
}
