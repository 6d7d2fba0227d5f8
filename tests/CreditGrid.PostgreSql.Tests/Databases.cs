using CreditGrid.Storage.Migrations;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>Creates isolated databases on the shared server, optionally migrated to the current schema.</summary>
internal static class Databases
{
    public static async Task<string> CreateMigratedAsync(this PostgresFixture postgres, string prefix, CancellationToken cancellationToken)
    {
        var connectionString = await postgres.CreateUniqueDatabaseAsync(prefix, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource).MigrateAsync(cancellationToken);
        return connectionString;
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await PostgresFixture.OpenAsync(connectionString, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
