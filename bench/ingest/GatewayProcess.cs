using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CreditGrid.Bench.Ingest;

/// <summary>
/// The gateway under test, started as a child process from its Release build on free loopback ports, with the demo
/// feed off so the log holds only the benchmark's records. Disposing kills exactly this process (and its children).
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        // A termination signal may end this process before the await using unwinds; the child must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the gateway process has used so far (user and system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static GatewayProcess Start(string gatewayDll, int partitions, IEnumerable<string>? extraArguments = null)
    {
        if (!File.Exists(gatewayDll))
        {
            throw new BenchmarkFailedException($"{gatewayDll} does not exist; run 'dotnet build src/Gateway -c Release' first, or pass --build.");
        }

        var (http, silo, gateway) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(gatewayDll)!,
        };
        foreach (var argument in new[]
        {
            gatewayDll,
            "--urls", $"http://127.0.0.1:{http}",
            "--CreditGrid:Demo:Enabled=false",
            $"--CreditGrid:Stream:Partitions={partitions}",
            $"--CreditGrid:Silo:SiloPort={silo}",
            $"--CreditGrid:Silo:GatewayPort={gateway}",
            "--Logging:LogLevel:Default=Warning",
            // The benchmark is one client reading as fast as it can; the per-client rate limit would measure itself.
            "--CreditGrid:RateLimit:PermitsPerSecond=0",
        }.Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        // The benchmark measures the production configuration, not Development's extra diagnostics.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new BenchmarkFailedException("dotnet could not be started.");
        var child = new GatewayProcess(process, new Uri($"http://127.0.0.1:{http}/"));
        // Both pipes must be drained or the child blocks on a full pipe; the tail explains a failed start.
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// A token from the gateway's own <c>token</c> command (<paramref name="arguments"/> as that command takes them), so
    /// it is signed with the key the gateway checks.
    /// </summary>
    public static async Task<string> MintTokenAsync(string gatewayDll, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(gatewayDll)!,
        };
        foreach (var argument in new[] { gatewayDll, "token" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchmarkFailedException("dotnet could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var token = (await output).Trim();
        return process.ExitCode == 0 && token.Length > 0
            ? token
            : throw new BenchmarkFailedException($"The gateway's token command failed ({process.ExitCode}): {await error}");
    }

    /// <summary>Waits until the silo answers a grain lookup through HTTP (a 404 for an unknown subject counts).</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, string probeUscc, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new BenchmarkFailedException($"The gateway exited with code {_process.ExitCode} during start:{Environment.NewLine}{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, $"api/v1/enterprises/{probeUscc}"), cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Kestrel is not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new BenchmarkFailedException($"The gateway was not ready within {timeout.TotalSeconds:F0} s:{Environment.NewLine}{Tail()}");
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join(Environment.NewLine, _tail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or not gone after 10 s; nothing more a benchmark can do about it.
        }

        _process.Dispose();
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    // The port is released before the child binds it; a collision in that instant fails the start, visibly.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The benchmark cannot go on; the message says why.</summary>
public sealed class BenchmarkFailedException(string message) : Exception(message);
