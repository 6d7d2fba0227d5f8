using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CreditGrid.Bench.Ingest;

namespace CreditGrid.Bench.Lookup;

/// <summary>One wrk run and what it reports: requests per second and the latency percentiles of <c>--latency</c>.</summary>
public sealed partial record WrkResult(double RequestsPerSecond, double P50Ms, double P90Ms, double P99Ms, long Requests, long Errors, string Raw)
{
    public static WrkResult Parse(string output)
    {
        var rps = RequestsPerSecondLine().Match(output);
        if (!rps.Success)
        {
            throw new BenchmarkFailedException($"wrk printed no Requests/sec line:{Environment.NewLine}{output}");
        }

        var requests = RequestsLine().Match(output);
        var errors = NonSuccessLine().Match(output);
        var socketErrors = SocketErrorsLine().Match(output);
        long socketErrorCount = 0;
        if (socketErrors.Success)
        {
            foreach (Group group in socketErrors.Groups.Cast<Group>().Skip(1))
            {
                socketErrorCount += long.Parse(group.Value, CultureInfo.InvariantCulture);
            }
        }

        return new WrkResult(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50"),
            Percentile(output, "90"),
            Percentile(output, "99"),
            requests.Success ? long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            (errors.Success ? long.Parse(errors.Groups[1].Value, CultureInfo.InvariantCulture) : 0) + socketErrorCount,
            output);
    }

    private static double Percentile(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new BenchmarkFailedException($"wrk printed no {percentile}% latency (was --latency passed?):{Environment.NewLine}{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"^\s+(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}

/// <summary>Runs wrk (C, event-driven: far lighter than a .NET load generator on the same two cores).</summary>
public static class Wrk
{
    public static async Task<WrkResult> RunAsync(Uri url, int threads, int connections, TimeSpan duration, string? script, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)duration.TotalSeconds}s", "--latency", "--timeout", "5s" })
        {
            start.ArgumentList.Add(argument);
        }

        if (script is not null)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(script);
        }

        start.ArgumentList.Add(url.ToString());
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchmarkFailedException("wrk could not be started.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BenchmarkFailedException("wrk is not installed: apt-get install wrk");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new BenchmarkFailedException($"wrk exited with {process.ExitCode}: {await error}{await output}");
            }

            return WrkResult.Parse(await output);
        }
    }
}
