using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

public sealed class PostgresServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Server_accepts_connections_and_isolates_databases()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;

        var a = await postgres.CreateUniqueDatabaseAsync("server_a", ct);
        var b = await postgres.CreateUniqueDatabaseAsync("server_b", ct);
        await using (var connection = await PostgresFixture.OpenAsync(a, ct))
        {
            await using var create = new NpgsqlCommand("CREATE TABLE only_in_a (id int)", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        await using var other = await PostgresFixture.OpenAsync(b, ct);
        await using var probe = new NpgsqlCommand("SELECT to_regclass('only_in_a') IS NULL, current_setting('TimeZone')", other);
        await using var reader = await probe.ExecuteReaderAsync(ct);
        Assert.True(await reader.ReadAsync(ct));
        Assert.True(reader.GetBoolean(0));
        Assert.Equal(PostgresServer.ServerTimeZone, reader.GetString(1));
    }
}
