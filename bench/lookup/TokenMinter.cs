using System.Diagnostics;
using CreditGrid.Bench.Ingest;

namespace CreditGrid.Bench.Lookup;

/// <summary>Mints bearer tokens with the gateway's own <c>token</c> command, so the bench uses the signing key the gateway does.</summary>
public static class TokenMinter
{
    public static async Task<string> MintAsync(string gatewayDll, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(gatewayDll)!,
        };
        start.ArgumentList.Add(gatewayDll);
        start.ArgumentList.Add("token");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchmarkFailedException("dotnet could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var token = (await output).Trim();
        if (process.ExitCode != 0 || token.Length == 0)
        {
            throw new BenchmarkFailedException($"The gateway's token command failed ({process.ExitCode}): {await error}");
        }

        return token;
    }
}
