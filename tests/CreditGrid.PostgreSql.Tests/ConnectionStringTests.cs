using CreditGrid.Storage.PostgreSql;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>The session defaults every grid connection opens with (<see cref="PostgresConnectionStrings"/>).</summary>
public sealed class ConnectionStringTests(PostgresFixture postgres)
{
    [Fact]
    public void Jit_is_turned_off_beside_options_already_given()
    {
        var plain = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.WithGridSessionDefaults("Host=db;Database=creditgrid;Username=grid"));
        var withOptions = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.WithGridSessionDefaults("Host=db;Options=-c statement_timeout=5s"));

        Assert.Equal("-c jit=off", plain.Options);
        Assert.Equal("db", plain.Host);
        Assert.Equal("creditgrid", plain.Database);
        Assert.Equal("-c statement_timeout=5s -c jit=off", withOptions.Options);
    }

    [Fact]
    public void A_jit_setting_in_the_connection_string_is_left_as_given()
    {
        var given = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.WithGridSessionDefaults("Host=db;Options=-c jit=on"));

        Assert.Equal("-c jit=on", given.Options);
    }

    [Fact]
    public void Statements_are_prepared_automatically_and_connections_return_to_the_pool_without_a_reset()
    {
        var plain = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.WithGridSessionDefaults("Host=db"));

        Assert.True(plain.NoResetOnClose);
        Assert.Equal(PostgresConnectionStrings.MaxAutoPrepare, plain.MaxAutoPrepare);
        Assert.Equal(PostgresConnectionStrings.AutoPrepareMinUsages, plain.AutoPrepareMinUsages);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0;Auto Prepare Min Usages=7")]
    [InlineData("Host=db;noresetonclose=false;maxautoprepare=0;AutoPrepareMinUsages=7")]
    public void Pooling_settings_in_the_connection_string_are_left_as_given(string given)
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.WithGridSessionDefaults(given));

        Assert.False(result.NoResetOnClose);
        Assert.Equal(0, result.MaxAutoPrepare);
        Assert.Equal(7, result.AutoPrepareMinUsages);
        Assert.Equal("-c jit=off", result.Options);
    }

    [Fact]
    public void A_connection_string_that_sets_every_default_is_returned_unchanged()
    {
        const string given = "Host=db;Options=-c jit=on;No Reset On Close=false;Max Auto Prepare=0;Auto Prepare Min Usages=5";

        Assert.Equal(given, PostgresConnectionStrings.WithGridSessionDefaults(given));
    }

    [Fact]
    public async Task A_session_opened_with_the_defaults_runs_without_jit()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("session_defaults", ct);

        var withDefaults = await Databases.ScalarAsync<string>(PostgresConnectionStrings.WithGridSessionDefaults(connectionString), "SHOW jit", ct);
        var serverDefault = await Databases.ScalarAsync<string>(connectionString, "SHOW jit", ct);

        Assert.Equal("off", withDefaults);
        Assert.Equal("on", serverDefault);
    }

    [Fact]
    public async Task A_connection_keeps_the_statements_it_prepared_when_it_returns_to_the_pool()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("session_prepared", ct);

        // One connection per pool, so the second open gets back the connection the first one returned.
        var withDefaults = await PreparedAfterReturnAsync(PostgresConnectionStrings.WithGridSessionDefaults(connectionString + ";Maximum Pool Size=1"), ct);
        var unprepared = await PreparedAfterReturnAsync(
            PostgresConnectionStrings.WithGridSessionDefaults(connectionString + ";Maximum Pool Size=1;Max Auto Prepare=0"), ct);

        Assert.True(withDefaults >= 1, $"{withDefaults} prepared statements survived the return to the pool");
        Assert.Equal(0, unprepared);
    }

    /// <summary>Runs one statement a few times, returns the connection to its pool, and counts what the next open finds prepared.</summary>
    private static async Task<long> PreparedAfterReturnAsync(string connectionString, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            for (var i = 0; i < 3; i++)
            {
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_class WHERE relname = $1", connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "pg_type" });
                await command.ExecuteScalarAsync(ct);
            }
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);
            return (long)(await count.ExecuteScalarAsync(ct))!;
        }
    }
}
