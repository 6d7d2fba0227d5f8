using System.Diagnostics;

namespace CreditGrid.Bench.Ingest;

/// <summary>
/// A throwaway multi-process grid started by <c>deploy/local/cluster.sh</c> in a state folder of its own, so it never
/// touches a cluster someone else started. Disposing runs <c>cluster.sh stop</c>, which ends exactly what start began.
/// </summary>
public sealed class ClusterScript : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);
    private readonly string _script;
    private int _stopped;

    private readonly string _serverOptions;

    private ClusterScript(string script, string stateDirectory, string serverOptions)
    {
        _script = script;
        _serverOptions = serverOptions;
        StateDirectory = stateDirectory;
        // A termination signal may end this process before the await using unwinds; the cluster must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
    }

    public string StateDirectory { get; }

    public string ConnectionString { get; private set; } = "";

    public IReadOnlyList<Uri> Gateways { get; private set; } = [];

    /// <summary>An admin token the gateways accept, minted by <c>cluster.sh start</c>.</summary>
    public string Token { get; private set; } = "";

    /// <param name="serverOptions">Extra PostgreSQL server options (<c>CREDITGRID_PG_OPTIONS</c>), empty for none.</param>
    public static async Task<ClusterScript> StartAsync(string repositoryRoot, int silos, int gateways, string serverOptions, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "deploy", "local", "cluster.sh");
        var state = Path.Combine(Path.GetTempPath(), "creditgrid-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = new ClusterScript(script, state, serverOptions);
        try
        {
            var (code, output) = await cluster.RunAsync(["start", "--silos", silos.ToString(), "--gateways", gateways.ToString()], cancellationToken);
            if (code != 0)
            {
                throw new BenchmarkFailedException($"cluster.sh start failed with exit code {code}:{Environment.NewLine}{output}");
            }

            var env = File.ReadAllLines(Path.Combine(state, "cluster.env"))
                .Select(line => line.Split('=', 2))
                .Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0], parts => parts[1].Trim('\''), StringComparer.Ordinal);
            cluster.ConnectionString = env["CONNECTION_STRING"];
            cluster.Token = env["GATEWAY_TOKEN"];
            cluster.Gateways = [.. env["GATEWAY_URLS"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(url => new Uri(url.TrimEnd('/') + "/"))];
            return cluster;
        }
        catch
        {
            // A failed or cancelled start can leave PostgreSQL or some hosts running; stop takes down whatever is there.
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Process ids of the hosts the script started, by role name (silo1, gateway1, …), read from its pid files.</summary>
    public IReadOnlyDictionary<string, int> HostProcessIds() =>
        Directory.GetFiles(StateDirectory, "*.pid")
            .Select(file => (Name: Path.GetFileNameWithoutExtension(file), Text: File.ReadAllText(file).Trim()))
            .Where(x => int.TryParse(x.Text, out _))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToDictionary(x => x.Name, x => int.Parse(x.Text), StringComparer.Ordinal);

    /// <summary>The postmaster's process id (first line of <c>postmaster.pid</c>), or null when it cannot be read.</summary>
    public int? PostmasterProcessId()
    {
        var file = Path.Combine(StateDirectory, "pg", "data", "postmaster.pid");
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public string Log(string name)
    {
        var file = Path.Combine(StateDirectory, name + ".log");
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        // Not cancellable: the run may already be cancelled, and the cluster must be stopped all the same.
        var (code, output) = await RunAsync(["stop"], CancellationToken.None);
        if (code != 0)
        {
            await Console.Error.WriteLineAsync($"cluster.sh stop failed with exit code {code} (state in {StateDirectory}):{Environment.NewLine}{output}");
        }
    }

    private void StopOnExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            RunAsync(["stop"], CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CREDITGRID_CLUSTER_DIR"] = StateDirectory;
        start.Environment["CREDITGRID_PG_OPTIONS"] = _serverOptions;
        // The benchmark is one client reading as fast as it can; the per-client rate limit would measure itself.
        start.Environment["CreditGrid__RateLimit__PermitsPerSecond"] = "0";
        using var process = Process.Start(start) ?? throw new BenchmarkFailedException("bash could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Only the script itself is ended here; the hosts it started are stopped by the 'stop' that follows.
            process.Kill();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return (-1, $"cluster.sh {string.Join(' ', arguments)} did not finish within {ScriptTimeout.TotalMinutes:F0} min");
        }

        return (process.ExitCode, (await error) + (await output));
    }
}
