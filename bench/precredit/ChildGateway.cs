using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CreditGrid.Bench.PreCredit;

/// <summary>The gateway's Release build as a child process on free loopback ports, demo off; disposing kills exactly it.</summary>
internal sealed class ChildGateway : IDisposable
{
    private readonly Process _process;

    private ChildGateway(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    public Uri BaseAddress { get; }

    public static ChildGateway Start(string gatewayDll)
    {
        if (!File.Exists(gatewayDll))
        {
            throw new InvalidOperationException($"{gatewayDll} does not exist; run 'dotnet build src/Gateway -c Release' first.");
        }

        var http = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(gatewayDll)! };
        foreach (var argument in new[]
        {
            gatewayDll, "--urls", $"http://127.0.0.1:{http}", "--CreditGrid:Demo:Enabled=false",
            $"--CreditGrid:Silo:SiloPort={FreePort()}", $"--CreditGrid:Silo:GatewayPort={FreePort()}", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"gateway: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildGateway(process, new Uri($"http://127.0.0.1:{http}"));
    }

    public async Task WaitReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The gateway did not become ready within 60 s.");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
