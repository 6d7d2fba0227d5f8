using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CreditGrid.Storage.Migrations;

/// <summary>
/// Brings a PostgreSQL database up to the schema this build expects by applying the versioned scripts of
/// <c>deploy/sql</c> (embedded in this assembly) in version order. Safe to run from every silo at start-up.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Each script runs in its own transaction together with its <c>schema_migrations</c> row, so a failed script
/// leaves nothing behind and is retried on the next start.</item>
/// <item>A session-level advisory lock serialises concurrent migrators: the second silo waits, then finds every
/// version recorded and does nothing.</item>
/// <item>The checksum of every applied script is recorded; a script edited after it was applied fails the run,
/// because the database would otherwise silently differ from what the repository describes.</item>
/// </list>
/// </remarks>
public sealed partial class SchemaMigrator
{
    /// <summary>Advisory lock key ("CrdGrdSM" as ASCII), shared by every process migrating this database.</summary>
    public const long AdvisoryLockKey = 0x4372644772645344;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<SchemaMigration> _migrations;
    private readonly ILogger _logger;

    /// <summary>Creates a migrator for the scripts embedded in this assembly.</summary>
    public SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator>? logger = null)
        : this(dataSource, EmbeddedMigrations, logger)
    {
    }

    /// <summary>Creates a migrator for an explicit list of scripts (tests, tools).</summary>
    public SchemaMigrator(NpgsqlDataSource dataSource, IEnumerable<SchemaMigration> migrations, ILogger? logger = null)
    {
        _dataSource = dataSource;
        _migrations = [.. migrations.OrderBy(m => m.Version)];
        _logger = logger ?? NullLogger.Instance;

        var duplicate = _migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Schema version {duplicate.Key} is defined more than once.", nameof(migrations));
        }
    }

    /// <summary>The scripts embedded from <c>deploy/sql</c>, in version order.</summary>
    public static IReadOnlyList<SchemaMigration> EmbeddedMigrations { get; } = LoadEmbedded(typeof(SchemaMigrator).Assembly);

    /// <summary>
    /// Applies every script not yet recorded and returns the versions this call applied (empty when the database was
    /// already current). Throws when a recorded script no longer matches its checksum.
    /// </summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RequireUtf8Async(connection, cancellationToken).ConfigureAwait(false);

        // Waits for another migrator; the lock belongs to this session and is released with it even on a crash.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            // Checked before creating: CREATE TABLE IF NOT EXISTS still needs CREATE on the schema, which a silo's
            // least-privilege role may lack once a migration job has set the database up.
            if (await TableMissingAsync(connection, "schema_migrations", cancellationToken).ConfigureAwait(false))
            {
                await ExecuteAsync(
                    connection,
                    null,
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version     integer     PRIMARY KEY,
                        name        text        NOT NULL,
                        checksum    text        NOT NULL,
                        applied_at  timestamptz NOT NULL DEFAULT now(),
                        duration_ms integer     NOT NULL
                    )
                    """,
                    cancellationToken).ConfigureAwait(false);
            }

            var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            foreach (var migration in _migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum) && checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Schema migration V{migration.Version:D3} ({migration.Name}) was changed after it was applied " +
                        $"(recorded checksum {checksum}, script {migration.Checksum}). Add a new migration instead of editing an applied one.");
                }
            }

            var newlyApplied = new List<int>();
            foreach (var migration in _migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false);
                newlyApplied.Add(migration.Version);
            }

            if (newlyApplied.Count == 0)
            {
                LogUpToDate(_logger, _migrations.Count == 0 ? 0 : _migrations[^1].Version);
            }

            return newlyApplied;
        }
        finally
        {
            // Not cancellable: leaving the lock held would block every other silo until this connection dies.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, SchemaMigration migration, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);

        var elapsed = TimeProvider.System.GetElapsedTime(started);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)",
            connection,
            transaction))
        {
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Checksum });
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds) });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogApplied(_logger, migration.Version, migration.Name, (long)elapsed.TotalMilliseconds);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add(reader.GetInt32(0), reader.GetString(1));
        }

        return applied;
    }

    /// <summary>
    /// The grid stores Chinese text throughout (names, legal bases, and the log's payloads as UTF-8 JSON), which a
    /// database in another encoding would refuse on the first append or, as <c>SQL_ASCII</c>, keep unchecked: refused
    /// here, before anything is created, with what to do instead.
    /// </summary>
    private static async Task RequireUtf8Async(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()", connection);
        var encoding = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(encoding, "UTF8", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Database '{connection.Database}' uses the encoding {encoding}; the grid stores Chinese text and needs UTF8. " +
                "Create the database with ENCODING 'UTF8' (for example CREATE DATABASE creditgrid ENCODING 'UTF8' TEMPLATE template0).");
        }
    }

    private static async Task<bool> TableMissingAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NULL", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        // No timeout: schema changes on a large table, or waiting for another silo's migration, can take long.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<SchemaMigration> LoadEmbedded(Assembly assembly)
    {
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            // Manifest names are dotted paths, e.g. CreditGrid.Storage.Migrations.Sql.V001__orleans_clustering.sql.
            var match = ScriptName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(SchemaMigration.Create(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    [GeneratedRegex(@"(?:^|\.)V(?<version>\d+)__(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied schema migration V{Version} ({Name}) in {ElapsedMs} ms")]
    private static partial void LogApplied(ILogger logger, int version, string name, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Database schema is up to date at V{Version}")]
    private static partial void LogUpToDate(ILogger logger, int version);
}

/// <summary>One versioned schema script.</summary>
/// <param name="Version">Applied in ascending order; never reused.</param>
/// <param name="Name">The descriptive part of the file name.</param>
/// <param name="Sql">The script text, with line endings normalised to LF.</param>
/// <param name="Checksum">SHA-256 of <paramref name="Sql"/> as lower-case hex.</param>
public sealed record SchemaMigration(int Version, string Name, string Sql, string Checksum)
{
    /// <summary>
    /// Builds a migration from its script. Line endings are normalised first so a checkout with CRLF line endings
    /// does not look like an edited script.
    /// </summary>
    public static SchemaMigration Create(int version, string name, string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
        return new SchemaMigration(version, name, normalised, checksum);
    }
}
