using System.Data;
using CreditGrid.Testing;
using static CreditGrid.PostgreSql.Tests.OrleansQueries;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>The membership query contract, checked statement by statement with the provider's parameter types.</summary>
public sealed class MembershipQueryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Version_row_is_created_once_even_under_concurrency()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var cs = await postgres.CreateMigratedAsync("membership_version", ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RunAsync(cs, "InsertMembershipVersionKey", ct, Deployment("d"))));

        Assert.All(results, r => Assert.Single(r));
        Assert.Equal(1, results.Count(r => Convert.ToBoolean(r[0].Values.Single())));
        var empty = await RunAsync(cs, "MembershipReadAllKey", ct, Deployment("d"));
        Assert.Single(empty);
        Assert.Null(empty[0]["StartTime"]);
        Assert.Equal(0, empty[0]["Version"]);
    }

    [Fact]
    public async Task Insert_and_update_are_compare_and_swap_on_the_table_version()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var cs = await postgres.CreateMigratedAsync("membership_cas", ct);
        await RunAsync(cs, "InsertMembershipVersionKey", ct, Deployment("d"));
        var now = DateTime.UtcNow;

        Assert.True(await InsertAsync(cs, 11111, version: 0, now, ct));
        Assert.False(await InsertAsync(cs, 22222, version: 0, now, ct)); // stale version
        Assert.False(await InsertAsync(cs, 11111, version: 1, now, ct)); // same silo twice
        Assert.True(await InsertAsync(cs, 22222, version: 1, now, ct));

        Assert.True(await UpdateAsync(cs, 11111, version: 2, status: 6, "127.0.0.1:22222@1,2026-01-01 00:00:00.000 GMT", ct));
        Assert.False(await UpdateAsync(cs, 11111, version: 2, status: 3, null, ct)); // stale
        Assert.False(await UpdateAsync(cs, 33333, version: 3, status: 3, null, ct)); // missing row

        await RunAsync(cs, "UpdateIAmAlivetimeKey", ct, [Deployment("d"), .. Silo(22222), ("IAmAliveTime", DbType.DateTime, now.AddMinutes(1))]);

        var all = await RunAsync(cs, "MembershipReadAllKey", ct, Deployment("d"));
        Assert.Equal(2, all.Count);
        Assert.All(all, r => Assert.Equal(3, r["Version"]));
        var first = all.Single(r => (int)r["Port"]! == 11111);
        Assert.Equal(6, first["Status"]);
        Assert.StartsWith("127.0.0.1:22222@1", (string)first["SuspectTimes"]!, StringComparison.Ordinal);
        var aliveTime = (DateTime)all.Single(r => (int)r["Port"]! == 22222)["IAmAliveTime"]!;
        Assert.InRange((aliveTime - now.AddMinutes(1)).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

        var row = await RunAsync(cs, "MembershipReadRowKey", ct, [Deployment("d"), .. Silo(44444)]);
        Assert.Single(row);
        Assert.Null(row[0]["StartTime"]);
        Assert.Equal(3, row[0]["Version"]);
    }

    [Fact]
    public async Task Gateways_cleanup_and_reset_touch_only_what_they_should()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var cs = await postgres.CreateMigratedAsync("membership_misc", ct);
        await RunAsync(cs, "InsertMembershipVersionKey", ct, Deployment("d"));
        await RunAsync(cs, "InsertMembershipVersionKey", ct, Deployment("other"));
        var old = DateTime.UtcNow.AddDays(-10);
        Assert.True(await InsertAsync(cs, 1, 0, old, ct, status: 3, proxyPort: 30001));
        Assert.True(await InsertAsync(cs, 2, 1, old, ct, status: 3, proxyPort: 0));
        Assert.True(await InsertAsync(cs, 3, 2, old, ct, status: 6, proxyPort: 30003));
        Assert.True(await InsertAsync(cs, 4, 3, DateTime.UtcNow, ct, status: 6, proxyPort: 30004));
        Assert.True(await InsertAsync(cs, 5, 0, old, ct, status: 3, proxyPort: 30005, deployment: "other"));

        var gateways = await RunAsync(cs, "GatewaysQueryKey", ct, Deployment("d"), ("Status", DbType.Int32, 3));
        Assert.Equal(30001, Assert.Single(gateways)["ProxyPort"]);

        await RunAsync(cs, "CleanupDefunctSiloEntriesKey", ct, Deployment("d"), ("IAmAliveTime", DbType.DateTime, DateTime.UtcNow.AddDays(-1)));
        var left = await RunAsync(cs, "MembershipReadAllKey", ct, Deployment("d"));
        Assert.Equal([1, 2, 4], left.Select(r => (int)r["Port"]!).Order());
        Assert.All(left, r => Assert.Equal(4, r["Version"]));

        await RunAsync(cs, "DeleteMembershipTableEntriesKey", ct, Deployment("d"));
        Assert.Equal(1L, await Databases.ScalarAsync<long>(cs, "SELECT count(*) FROM orleans_membership", ct));
        var created = await RunAsync(cs, "InsertMembershipVersionKey", ct, Deployment("d"));
        Assert.True(Convert.ToBoolean(created[0].Values.Single()));
    }

    private static async Task<bool> InsertAsync(
        string cs, int port, int version, DateTime time, CancellationToken ct, int status = 3, int proxyPort = 30000, string deployment = "d")
    {
        var rows = await RunAsync(cs, "InsertMembershipKey", ct,
        [
            Deployment(deployment), .. Silo(port),
            ("IAmAliveTime", DbType.DateTime, time), ("SiloName", DbType.String, "silo" + port), ("HostName", DbType.String, "host"),
            ("StartTime", DbType.DateTime, time), ("Status", DbType.Int32, status), ("ProxyPort", DbType.Int32, proxyPort),
            ("Version", DbType.Int32, version),
        ]);
        return Convert.ToBoolean(Assert.Single(rows).Values.Single());
    }

    private static async Task<bool> UpdateAsync(string cs, int port, int version, int status, string? suspectTimes, CancellationToken ct)
    {
        var rows = await RunAsync(cs, "UpdateMembershipKey", ct,
        [
            Deployment("d"), .. Silo(port),
            ("IAmAliveTime", DbType.DateTime, DateTime.UtcNow), ("Status", DbType.Int32, status),
            ("SuspectTimes", DbType.String, suspectTimes), ("Version", DbType.Int32, version),
        ]);
        return Convert.ToBoolean(Assert.Single(rows).Values.Single());
    }
}
