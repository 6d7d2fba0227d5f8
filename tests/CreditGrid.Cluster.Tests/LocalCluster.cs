using System.Diagnostics;
using CreditGrid.Testing;

namespace CreditGrid.Cluster.Tests;

/// <summary>
/// A real multi-process grid started by <c>deploy/local/cluster.sh</c>: PostgreSQL, silo processes and a gateway.
/// The test talks to it only as clients and operators would: HTTP, Orleans client, SQL, signals.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _script;
    private readonly Dictionary<string, string> _environment;

    private LocalCluster(string script, string stateDirectory, Dictionary<string, string> environment)
    {
        _script = script;
        StateDirectory = stateDirectory;
        _environment = environment;
    }

    public string StateDirectory { get; }

    public string ConnectionString { get; private set; } = "";

    public Uri Gateway { get; private set; } = null!;

    /// <summary>An admin token the gateways accept, minted by <c>cluster.sh start</c> with the gateways' own key.</summary>
    public string Token { get; private set; } = "";

    /// <summary>A client of the first gateway that sends <see cref="Token"/>, as every caller of the API must.</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = Gateway, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public static async Task<LocalCluster> StartAsync(int silos, int gateways)
    {
        var repo = RepositoryRoot();
        var state = Path.Combine(Path.GetTempPath(), "creditgrid-cluster-test-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string> { ["CREDITGRID_CLUSTER_DIR"] = state };
        if (PostgresServer.FindBinaries() is { } bin)
        {
            environment["PG_BIN"] = bin;
        }

        var cluster = new LocalCluster(Path.Combine(repo, "deploy", "local", "cluster.sh"), state, environment);
        await cluster.RunAsync("start", "--silos", silos.ToString(), "--gateways", gateways.ToString());
        var env = File.ReadAllLines(Path.Combine(state, "cluster.env"))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim('\''));
        cluster.ConnectionString = env["CONNECTION_STRING"];
        cluster.Gateway = new Uri(env["GATEWAY_URLS"].Split(' ')[0]);
        cluster.Token = env["GATEWAY_TOKEN"];
        return cluster;
    }

    /// <summary>The silo index (1-based) whose silo-to-silo port is <paramref name="port"/>.</summary>
    public int SiloIndexOfPort(int port)
    {
        foreach (var file in Directory.GetFiles(StateDirectory, "silo*.ports"))
        {
            var ports = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (int.Parse(ports[0]) == port)
            {
                return int.Parse(Path.GetFileNameWithoutExtension(file)["silo".Length..]);
            }
        }

        throw new InvalidOperationException($"No silo of this cluster listens on port {port}.");
    }

    public Task KillSiloAsync(int index) => RunAsync("kill-silo", index.ToString());

    public Task StartSiloAsync(int index) => RunAsync("start-silo", index.ToString());

    public Task KillGatewayAsync(int index) => RunAsync("kill-gateway", index.ToString());

    public Task StartGatewayAsync(int index) => RunAsync("start-gateway", index.ToString());

    public Task StopPostgresAsync() => RunAsync("stop-postgres");

    public Task StartPostgresAsync() => RunAsync("start-postgres");

    /// <summary>The PostgreSQL port of this cluster.</summary>
    public int PostgresPort => int.Parse(File.ReadAllText(Path.Combine(StateDirectory, "pg", "port")).Trim());

    /// <summary>Whether the named process (e.g. <c>silo1</c>) is alive; a killed but unreaped zombie is not.</summary>
    public bool IsRunning(string name)
    {
        var pidFile = Path.Combine(StateDirectory, name + ".pid");
        if (!File.Exists(pidFile))
        {
            return false;
        }

        var stat = Path.Combine("/proc", File.ReadAllText(pidFile).Trim(), "stat");
        try
        {
            // Field 3 of /proc/<pid>/stat is the state; the command name before it is in parentheses.
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public string Logs(string name) =>
        File.Exists(Path.Combine(StateDirectory, name + ".log")) ? File.ReadAllText(Path.Combine(StateDirectory, name + ".log")) : "";

    public async ValueTask DisposeAsync() => await RunAsync("stop");

    private async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CreditGrid.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CreditGrid.slnx not found above the test binaries.");
    }
}
