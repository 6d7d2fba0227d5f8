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
        const string given = "Host=db;Options=-c jit=on";

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
}
