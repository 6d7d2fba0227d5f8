using System.Diagnostics;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Simulator;

namespace CreditGrid.Bench.Ingest;

/// <summary>Inputs of one benchmark run.</summary>
public sealed record BenchSettings(int Enterprises, int GovernmentBodies, int Seed, int BatchSize, int Posters, TimeSpan FoldTimeout, string RepositoryRoot, bool Build);

/// <summary>
/// One end-to-end run: generate the province, measure the in-process baseline, start the gateway, post every
/// record over HTTP, then wait until every subject's score reflects every acknowledged record.
/// </summary>
public static class IngestBenchmark
{
    // Must match the gateway's CreditGrid:Stream:Partitions, which the run passes explicitly.
    private const int Partitions = 16;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(BenchSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var gatewayDll = Path.Combine(settings.RepositoryRoot, "src", "Gateway", "bin", "Release", "net10.0", "CreditGrid.Gateway.dll");
        if (settings.Build)
        {
            await BuildGatewayAsync(settings.RepositoryRoot, output, cancellationToken);
        }

        var province = PostedProvince.Generate(settings.Enterprises, settings.GovernmentBodies, settings.Seed, settings.BatchSize);
        var (batches, bodies, types) = (province.Batches, province.Bodies, province.Types);
        var records = province.Records;
        var subjectsWithRecords = province.SubjectsWithRecords;

        await output.WriteLineAsync("Single-process ingest benchmark");
        await output.WriteLineAsync($"  subjects            {province.Subjects:N0} ({settings.Enterprises:N0} enterprises + {settings.GovernmentBodies:N0} government bodies, seed {settings.Seed}); {subjectsWithRecords:N0} with records");
        await output.WriteLineAsync($"  records             {records:N0} in {batches.Length:N0} NDJSON batches of {settings.BatchSize:N0} ({bodies.Sum(b => (long)b.Length) / 1_048_576.0:F1} MiB)");
        await output.WriteLineAsync($"  posters             {settings.Posters}");
        await output.WriteLineAsync($"  machine             {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");

        var baseline = await BaselineAppend.MeasureAsync(batches, Partitions);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        await using var gateway = GatewayProcess.Start(gatewayDll, Partitions);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "admin", "--subject", "ingest-benchmark", "--expires", "24h"], cancellationToken));
        await output.WriteLineAsync($"  gateway             pid {gateway.ProcessId} at {gateway.BaseAddress}");
        await gateway.WaitUntilReadyAsync(http, UsccGenerator.Create('9', '1', "610103", "00000000"), StartTimeout, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var ingest = await HttpIngestRun.RunAsync(http, new Uri(gateway.BaseAddress, "api/v1/events"), batches, bodies, settings.Posters, started, cancellationToken);
        var fold = await FoldWaiter.WaitAsync(http, gateway.BaseAddress, ingest.HighestSequence, types, started, settings.FoldTimeout, cancellationToken);

        var latencies = ingest.BatchMilliseconds.Order().ToArray();
        var ackRate = records / ingest.UntilLastAck.TotalSeconds;
        var baselineRate = records / baseline.TotalSeconds;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"  answers             accepted {ingest.Accepted:N0}, duplicate {ingest.Duplicates:N0}, rejected {ingest.Rejected:N0}");
        await output.WriteLineAsync($"  acknowledged ingest {ackRate,12:N0} records/s   (last 202 after {ingest.UntilLastAck.TotalSeconds:F2} s)");
        if (fold.UntilAllFolded is { } folded)
        {
            var endToEnd = records / folded.TotalSeconds;
            await output.WriteLineAsync($"  end-to-end          {endToEnd,12:N0} records/s   (all {ingest.HighestSequence.Count:N0} subjects folded and readable after {folded.TotalSeconds:F2} s; {fold.Rounds} read rounds, {fold.Reads:N0} GETs)");
            await output.WriteLineAsync($"  POST latency        p50 {Percentile(latencies, 0.50):N0} ms, p99 {Percentile(latencies, 0.99):N0} ms (per batch of {settings.BatchSize:N0})");
            await output.WriteLineAsync($"  baseline            {baselineRate,12:N0} records/s   (InMemoryCreditEventLog.AppendAsync in process, {baseline.TotalMilliseconds:F0} ms)");
            await output.WriteLineAsync($"  end-to-end/baseline {endToEnd / baselineRate,12:P2}       (baseline is {baselineRate / endToEnd:N0}x faster)");
        }
        else
        {
            await output.WriteLineAsync($"  end-to-end          not reached: {fold.Lagging:N0} of {ingest.HighestSequence.Count:N0} subjects still lagged {settings.FoldTimeout.TotalSeconds:F0} s after the last 202");
            await output.WriteLineAsync($"  POST latency        p50 {Percentile(latencies, 0.50):N0} ms, p99 {Percentile(latencies, 0.99):N0} ms (per batch of {settings.BatchSize:N0})");
            await output.WriteLineAsync($"  baseline            {baselineRate,12:N0} records/s   (InMemoryCreditEventLog.AppendAsync in process, {baseline.TotalMilliseconds:F0} ms)");
        }

        var clean = ingest.Rejected == 0 && ingest.Accepted == records && fold.Lagging == 0;
        return clean ? 0 : 1;
    }

    // Nearest rank: with a few dozen batches p99 is the slowest batch, which is what it should show.
    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    internal static byte[] Ndjson(CreditEvent[] batch) =>
        System.Text.Encoding.UTF8.GetBytes(string.Concat(batch.Select(e => CreditRecordWriter.ToNdjsonLine(e) + "\n")));

    internal static async Task BuildGatewayAsync(string root, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("Building src/Gateway in Release…");
        var build = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = root };
        foreach (var argument in new[] { "build", Path.Combine("src", "Gateway"), "-c", "Release", "-v", "q", "-nologo" })
        {
            build.ArgumentList.Add(argument);
        }

        using var process = Process.Start(build) ?? throw new BenchmarkFailedException("dotnet build could not be started.");
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new BenchmarkFailedException($"dotnet build src/Gateway -c Release failed with exit code {process.ExitCode}.");
        }
    }
}
