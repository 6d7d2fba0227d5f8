using Npgsql;

namespace CreditGrid.Testing;

/// <summary>
/// One throwaway PostgreSQL server shared by the tests that receive this fixture. Use it as an assembly fixture
/// (<c>[assembly: AssemblyFixture(typeof(PostgresFixture))]</c>) so a test run starts one server, and give each
/// test class its own database through <see cref="CreateDatabaseAsync"/>.
/// </summary>
/// <remarks>
/// When the PostgreSQL binaries are missing the fixture does not fail: <see cref="IsAvailable"/> is false and every
/// test that calls <see cref="SkipIfUnavailable"/> is reported as skipped with the reason. Under CI
/// (<c>CI=true</c>) missing binaries are an error instead, so a misconfigured pipeline cannot pass by skipping.
/// </remarks>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static int s_databaseCounter;
    private PostgresServer? _server;

    /// <summary>True when a server is running.</summary>
    public bool IsAvailable => _server is not null;

    /// <summary>Why the server is not available; null when it is.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>The running server; throws when <see cref="IsAvailable"/> is false.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException(UnavailableReason ?? "PostgreSQL is not available.");

    /// <summary>Connection string of the server's default database.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>Marks the calling test as skipped (with the reason) when no server is available.</summary>
    public void SkipIfUnavailable() => Assert.SkipWhen(!IsAvailable, UnavailableReason ?? "PostgreSQL is not available.");

    /// <summary>Creates an empty database with exactly this name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        Server.CreateDatabaseAsync(name, cancellationToken);

    /// <summary>
    /// Creates an empty database whose name starts with <paramref name="prefix"/> and is unique within the run, so
    /// test classes (or single tests) never see each other's rows.
    /// </summary>
    public Task<string> CreateUniqueDatabaseAsync(string prefix, CancellationToken cancellationToken = default, string? encoding = null)
    {
        var n = Interlocked.Increment(ref s_databaseCounter);
        return Server.CreateDatabaseAsync($"{prefix.ToLowerInvariant()}_{n}", cancellationToken, encoding);
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var binaries = PostgresServer.FindBinaries();
        if (binaries is null)
        {
            var reason = "PostgreSQL binaries not found: set PG_BIN to the folder holding initdb and pg_ctl, or put them on PATH.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(reason + " (CI=true, so this is an error rather than a skip)");
            }

            UnavailableReason = reason;
            return;
        }

        // Binaries that are present but cannot start a server are a real failure, not a reason to skip.
        _server = await PostgresServer.StartAsync(binaries).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    /// <summary>Opens a connection to <paramref name="connectionString"/>; a convenience for assertions in tests.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
