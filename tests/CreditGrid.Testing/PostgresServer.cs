using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace CreditGrid.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: a fresh cluster in a temporary folder, listening on a free loopback TCP
/// port, with durability switched off for speed. Disposing it stops the server and deletes every file it wrote.
/// </summary>
/// <remarks>
/// The binaries come from the <c>PG_BIN</c> folder when that variable is set, otherwise from <c>PATH</c>, otherwise
/// from the Debian layout <c>/usr/lib/postgresql/N/bin</c>. PostgreSQL refuses to run as root, so when the test
/// process is root every server command runs through <c>runuser -u postgres</c> and the folders are handed to that
/// user.
/// </remarks>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>The database created at start-up; <see cref="ConnectionString"/> points at it.</summary>
    public const string DefaultDatabase = "creditgrid";

    /// <summary>
    /// The server's default session time zone. Deliberately not UTC, so a <c>timestamp</c> column or a time that
    /// is not marked UTC shows up as a shifted value in tests instead of passing by accident.
    /// </summary>
    public const string ServerTimeZone = "Asia/Shanghai";

    private const string OsUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _binDirectory;
    private readonly string _rootDirectory;
    private readonly bool _asPostgresUser;
    private int _disposed;

    private PostgresServer(string binDirectory, string rootDirectory, bool asPostgresUser, int port)
    {
        _binDirectory = binDirectory;
        _rootDirectory = rootDirectory;
        _asPostgresUser = asPostgresUser;
        Port = port;
        ConnectionString = ConnectionStringFor(DefaultDatabase);
    }

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Connection string of <see cref="DefaultDatabase"/>.</summary>
    public string ConnectionString { get; }

    /// <summary>The cluster's data folder (inside a temporary folder that disposal deletes).</summary>
    public string DataDirectory => Path.Combine(_rootDirectory, "data");

    private string LogFile => Path.Combine(_rootDirectory, "server.log");

    /// <summary>
    /// The folder holding <c>initdb</c> and <c>pg_ctl</c>, or null when PostgreSQL is not installed. A <c>PG_BIN</c>
    /// that does not hold them also yields null, so a misconfigured machine is reported rather than half-used.
    /// </summary>
    public static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasBinaries(configured) ? configured : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasBinaries(folder))
            {
                return folder;
            }
        }

        // Debian and Ubuntu keep the server binaries off PATH; take the newest installed major version.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            return Directory.GetDirectories(debianRoot)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(x => x.Version >= 0 && HasBinaries(x.Bin))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Bin)
                .FirstOrDefault();
        }

        return null;
    }

    /// <summary>
    /// Creates and starts a new cluster and its <see cref="DefaultDatabase"/>. Throws when the binaries are missing
    /// or the server does not come up; the message then carries the tail of the server log.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(string? binDirectory = null, CancellationToken cancellationToken = default)
    {
        binDirectory ??= FindBinaries()
            ?? throw new InvalidOperationException("PostgreSQL binaries not found: set PG_BIN or put initdb and pg_ctl on PATH.");

        var asPostgresUser = IsRoot();
        var root = CreateRootDirectory(asPostgresUser);
        try
        {
            await InitClusterAsync(binDirectory, root, asPostgresUser, cancellationToken).ConfigureAwait(false);

            // Another process can take the probed port between the probe and the bind; a few attempts cover that.
            Exception? last = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var server = new PostgresServer(binDirectory, root, asPostgresUser, LoopbackPorts.Free());
                try
                {
                    await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
                    await server.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
                    await server.CreateDatabaseAsync(DefaultDatabase, cancellationToken).ConfigureAwait(false);
                    return server;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    last = ex;
                    await server.StopServerAsync().ConfigureAwait(false);
                }
            }

            throw new InvalidOperationException("PostgreSQL did not start after 3 attempts.", last);
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server (superuser, trust authentication).</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = OsUser,
        Database = database,
        IncludeErrorDetail = true,
        Timeout = 30,
        // Several silos in one test process each keep their own pool; keep every pool well under max_connections.
        MaxPoolSize = 40,
    }.ConnectionString;

    /// <summary>
    /// Creates an empty database (an isolated namespace for one test class) and returns its connection string.
    /// Names are restricted to lower-case identifiers so they need no quoting.
    /// </summary>
    /// <param name="encoding">A server encoding other than the cluster's UTF8, such as <c>SQL_ASCII</c> (from <c>template0</c>).</param>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default, string? encoding = null)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"Database name '{name}' must match {DatabaseName()}.", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var options = encoding is null ? "" : $" ENCODING '{encoding.Replace("'", "''", StringComparison.Ordinal)}' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'";
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}{options}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>The last lines of the server log, for failure messages.</summary>
    public string ReadLogTail(int maxLines = 40) => ReadLogTail(LogFile, maxLines);

    /// <summary>Stops the server (fast shutdown, immediate if that hangs) and deletes the temporary folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await StopServerAsync().ConfigureAwait(false);
        TryDelete(_rootDirectory);
    }

    private static async Task InitClusterAsync(string bin, string root, bool asPostgresUser, CancellationToken cancellationToken)
    {
        var data = Path.Combine(root, "data");
        await RunAsync(
            bin,
            "initdb",
            ["-D", data, "-U", OsUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            root,
            asPostgresUser,
            cancellationToken).ConfigureAwait(false);

        // Settings go into the config file rather than pg_ctl -o, whose value passes through a shell.
        // Durability is off: a test cluster is deleted anyway, and fsync dominates small-transaction latency.
        var settings = new StringBuilder()
            .AppendLine()
            .AppendLine("# throwaway test cluster")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{root}'")
            .AppendLine("max_connections = 300")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off")
            .AppendLine(CultureInfo.InvariantCulture, $"timezone = '{ServerTimeZone}'")
            .AppendLine("log_min_messages = warning")
            .ToString();
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), settings, cancellationToken).ConfigureAwait(false);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        await RunAsync(
            _binDirectory,
            "pg_ctl",
            ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)}"],
            _rootDirectory,
            _asPostgresUser,
            cancellationToken,
            LogFile).ConfigureAwait(false);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // pg_ctl -w already waits for the postmaster; this also proves TCP connections are accepted.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StopServerAsync()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await RunAsync(_binDirectory, "pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "20"], _rootDirectory, _asPostgresUser, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Clients that never closed can hold a fast shutdown up; nothing in a test cluster needs a clean stop.
            try
            {
                await RunAsync(_binDirectory, "pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "20"], _rootDirectory, _asPostgresUser, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Best effort: the folder is deleted regardless and the port is never reused on purpose.
            }
        }
    }

    private static async Task RunAsync(
        string bin,
        string tool,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        bool asPostgresUser,
        CancellationToken cancellationToken,
        string? logFile = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        var executable = Path.Combine(bin, tool);
        if (asPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", OsUser, "--", executable])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = executable;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // Messages are matched in failure reports; keep them in English whatever the machine's locale.
        start.Environment["LC_MESSAGES"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var log = logFile is null ? string.Empty : $"{Environment.NewLine}server log:{Environment.NewLine}{ReadLogTail(logFile, 40)}";
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output}{log}");
        }
    }

    private static string CreateRootDirectory(bool asPostgresUser)
    {
        // The postgres user must be able to reach the folder, so a root-only TMPDIR (e.g. under /root) is avoided.
        var baseDirectory = asPostgresUser ? "/tmp" : Path.GetTempPath();
        // Short names: the Unix socket path must stay under ~107 bytes.
        var root = Path.Combine(baseDirectory, "cgpg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        if (asPostgresUser)
        {
            using var chown = Process.Start(new ProcessStartInfo("chown", [$"{OsUser}:", root]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("Could not start chown.");
            chown.WaitForExit();
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException($"chown {OsUser} {root} failed; does the '{OsUser}' OS user exist?");
            }
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return root;
    }


    private static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private static bool HasBinaries(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

    private static string ReadLogTail(string logFile, int maxLines)
    {
        try
        {
            var lines = File.ReadAllLines(logFile);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - maxLines)));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder must not fail the test run.
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
