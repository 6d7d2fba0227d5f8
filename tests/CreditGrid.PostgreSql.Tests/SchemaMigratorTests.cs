using CreditGrid.Storage.Migrations;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

public sealed class SchemaMigratorTests(PostgresFixture postgres)
{
    private static readonly string[] ClusteringKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey",
        "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
    ];

    private static readonly string[] PersistenceKeys = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    private static readonly string[] ReminderKeys =
    [
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private const string SchemaSnapshotSql = """
        SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)
        FROM information_schema.columns WHERE table_schema = 'public'
        """;

    private const string QuerySnapshotSql = "SELECT string_agg(querykey || '=' || md5(querytext), ',' ORDER BY querykey) FROM orleansquery";

    [Fact]
    public void Embedded_scripts_are_found_in_version_order()
    {
        var versions = SchemaMigrator.EmbeddedMigrations.Select(m => m.Version).ToArray();
        Assert.Equal([1, 2, 3, 4], versions.Take(4));
        Assert.Equal(versions.Order(), versions);
        Assert.All(SchemaMigrator.EmbeddedMigrations, m => Assert.Equal(64, m.Checksum.Length));
    }

    [Fact]
    public async Task A_database_not_in_UTF8_is_refused_before_anything_is_created()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("migrate_sql_ascii", ct, encoding: "SQL_ASCII");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SchemaMigrator(dataSource).MigrateAsync(ct));

        Assert.Contains("SQL_ASCII", error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF8", error.Message, StringComparison.Ordinal);
        Assert.True(await Databases.ScalarAsync<bool>(connectionString, "SELECT to_regclass('schema_migrations') IS NULL", ct));
    }

    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_changes_nothing()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("migrate_twice", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var first = await new SchemaMigrator(dataSource).MigrateAsync(ct);
        var schema = await Databases.ScalarAsync<string>(connectionString, SchemaSnapshotSql, ct);
        var queries = await Databases.ScalarAsync<string>(connectionString, QuerySnapshotSql, ct);

        var second = await new SchemaMigrator(dataSource).MigrateAsync(ct);

        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Select(m => m.Version), first);
        Assert.Empty(second);
        Assert.Equal(schema, await Databases.ScalarAsync<string>(connectionString, SchemaSnapshotSql, ct));
        Assert.Equal(queries, await Databases.ScalarAsync<string>(connectionString, QuerySnapshotSql, ct));
        Assert.Equal(
            (long)SchemaMigrator.EmbeddedMigrations.Count,
            await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations", ct));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_version_exactly_once()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("migrate_race", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SchemaMigrator(dataSource).MigrateAsync(ct), ct)));

        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Select(m => m.Version), results.SelectMany(r => r).Order());
        Assert.Single(results, r => r.Count > 0);
    }

    [Fact]
    public async Task Every_query_key_of_the_three_providers_is_defined()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("query_keys", ct);

        var keys = await Databases.ScalarAsync<string[]>(connectionString, "SELECT array_agg(querykey) FROM orleansquery", ct);

        Assert.Empty(ClusteringKeys.Concat(PersistenceKeys).Concat(ReminderKeys).Except(keys, StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_applied_script_that_was_edited_fails_the_run()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("migrate_edited", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, [SchemaMigration.Create(1, "t", "CREATE TABLE t (id int)")]).MigrateAsync(ct);

        var edited = new SchemaMigrator(dataSource, [SchemaMigration.Create(1, "t", "CREATE TABLE t (id bigint)")]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => edited.MigrateAsync(ct));
        Assert.Contains("V001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_script_leaves_no_trace_and_is_retried()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("migrate_failing", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        SchemaMigration[] broken = [SchemaMigration.Create(1, "a", "CREATE TABLE a (id int)"), SchemaMigration.Create(2, "b", "CREATE TABLE b (id int); SELECT 1/0")];

        await Assert.ThrowsAsync<PostgresException>(() => new SchemaMigrator(dataSource, broken).MigrateAsync(ct));

        Assert.Equal(1L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations", ct));
        Assert.True(await Databases.ScalarAsync<bool>(connectionString, "SELECT to_regclass('b') IS NULL", ct));
        SchemaMigration[] fixedUp = [broken[0], SchemaMigration.Create(2, "b", "CREATE TABLE b (id int)")];
        Assert.Equal([2], await new SchemaMigrator(dataSource, fixedUp).MigrateAsync(ct));
    }
}
