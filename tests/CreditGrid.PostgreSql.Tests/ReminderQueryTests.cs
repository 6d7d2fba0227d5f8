using System.Data;
using CreditGrid.Testing;
using Npgsql;
using static CreditGrid.PostgreSql.Tests.OrleansQueries;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>The reminder query contract, with hashes chosen at the edges of the signed ring.</summary>
public sealed class ReminderQueryTests(PostgresFixture postgres)
{
    private static readonly int[] Hashes = [int.MinValue, int.MinValue + 1, -1000, -1, 0, 1, 1000, 0x7FFFFFF0, int.MaxValue];

    [Theory]
    [InlineData(0u, 1000u)]
    [InlineData(1u, 1000u)]
    [InlineData(0xFFFFFC18u, 1000u)] // (-1000, 1000] as signed: crosses zero
    [InlineData(0x7FFFFFF0u, 0x80000010u)] // crosses the signed wrap
    [InlineData(0xFFFFFFF0u, 0x00000010u)] // crosses the unsigned wrap
    [InlineData(1000u, 1u)] // wraps the whole ring but (1, 1000]
    [InlineData(5u, 5u)] // the whole ring
    public async Task Ring_ranges_return_exactly_the_rows_in_begin_exclusive_end_inclusive(uint begin, uint end)
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var cs = await postgres.CreateMigratedAsync("reminder_ranges", ct);
        await using (var connection = await PostgresFixture.OpenAsync(cs, ct))
        {
            foreach (var service in (string[])["svc", "other"])
            {
                foreach (var hash in Hashes)
                {
                    await using var insert = new NpgsqlCommand(
                        "INSERT INTO orleans_reminders VALUES ($1, $2, 'r', now(), 60000, $3, 0)", connection);
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = service });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "tick/" + hash });
                    insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = hash });
                    await insert.ExecuteNonQueryAsync(ct);
                }
            }
        }

        // The provider picks the query by comparing the bounds as signed integers.
        var key = (int)begin < (int)end ? "ReadRangeRows1Key" : "ReadRangeRows2Key";
        var rows = await RunAsync(cs, key, ct,
            ("ServiceId", DbType.String, "svc"), ("BeginHash", DbType.Int32, (int)begin), ("EndHash", DbType.Int32, (int)end));

        var expected = Hashes.Where(h => InRing((uint)h, begin, end)).Select(h => "tick/" + h).Order();
        Assert.Equal(expected, rows.Select(r => (string)r["GrainId"]!).Order());
    }

    [Fact]
    public async Task Upsert_versions_bigint_periods_and_compare_and_delete()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var cs = await postgres.CreateMigratedAsync("reminder_rows", ct);
        var start = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        var thirtyDays = (long)TimeSpan.FromDays(30).TotalMilliseconds;

        var v0 = await UpsertAsync(cs, "a", start, ("Period", DbType.Int32, 60_000), ct);
        var v1 = await UpsertAsync(cs, "a", start, ("Period", DbType.Int64, thirtyDays), ct);
        Assert.Equal(0, v0);
        Assert.Equal(1, v1);

        var row = Assert.Single(await RunAsync(cs, "ReadReminderRowKey", ct,
            ("ServiceId", DbType.String, "svc"), ("GrainId", DbType.AnsiString, "tick/a"), ("ReminderName", DbType.String, "r")));
        Assert.Equal(thirtyDays, row["Period"]);
        Assert.Equal(start, (DateTime)row["StartTime"]!);
        Assert.Empty(await RunAsync(cs, "ReadReminderRowKey", ct,
            ("ServiceId", DbType.String, "svc"), ("GrainId", DbType.AnsiString, "tick/a"), ("ReminderName", DbType.String, "missing")));

        Assert.False(await DeleteAsync(cs, "a", 0, ct));
        Assert.True(await DeleteAsync(cs, "a", 1, ct));
        Assert.False(await DeleteAsync(cs, "a", 1, ct));
    }

    private static bool InRing(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static async Task<int> UpsertAsync(string cs, string grain, DateTime start, (string, DbType, object?) period, CancellationToken ct)
    {
        var rows = await RunAsync(cs, "UpsertReminderRowKey", ct,
            ("ServiceId", DbType.String, "svc"), ("GrainHash", DbType.Int32, 42), ("GrainId", DbType.AnsiString, "tick/" + grain),
            ("ReminderName", DbType.String, "r"), ("StartTime", DbType.DateTime, start), period);
        return (int)rows[0]["Version"]!;
    }

    private static async Task<bool> DeleteAsync(string cs, string grain, int version, CancellationToken ct)
    {
        var rows = await RunAsync(cs, "DeleteReminderRowKey", ct,
            ("ServiceId", DbType.String, "svc"), ("GrainId", DbType.AnsiString, "tick/" + grain), ("ReminderName", DbType.String, "r"),
            ("Version", DbType.Int32, version));
        return Convert.ToBoolean(Assert.Single(rows).Values.Single());
    }
}
