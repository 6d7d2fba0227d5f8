using System.Diagnostics;
using CreditGrid.Simulator;
using Npgsql;

namespace CreditGrid.Bench.Ingest;

/// <summary>Inputs of the production-path run beyond the common ones.</summary>
/// <param name="Statements">Top statements by PostgreSQL execution time to print per phase (pg_stat_statements), 0 for none.</param>
/// <param name="Trickle">Records posted one at a time after the measured run, to time a quiet partition's first record (0 for none).</param>
public sealed record ClusterSettings(int Silos, int Gateways, int LatencySamples, int LatencyReaders, int WarmupEnterprises, int Statements = 0, int Trickle = 0);

/// <summary>
/// The production path end to end: a cluster from <c>deploy/local/cluster.sh</c> (PostgreSQL, silos, gateways on
/// loopback), the province posted over HTTP into the PostgreSQL credit-event log, streamed and folded; beside it, in
/// the same run and the same PostgreSQL, a raw binary COPY of the same rows, and the ack→readable latency of a sample.
/// </summary>
public static class PostgresIngestBenchmark
{
    // The silos' and gateways' default CreditGrid:Stream:Partitions; cluster.sh does not change it.
    private const int Partitions = 16;

    /// <summary>
    /// The runtime compiles a method at its final tier only after about 30 calls at each earlier tier (two with dynamic
    /// PGO). Warmed with the measured run's 20 batches of 5,000, the gateway's per-batch ingest code was still running
    /// instrumented during the measured run and the JIT had 29 % of the gateway's samples; 1,000-record batches give
    /// the default warm-up about 100 calls.
    /// </summary>
    private const int WarmUpBatchSize = 1_000;

    /// <summary>
    /// Quiet after each half of the warm-up. On two saturated cores the JIT's background thread falls behind: methods
    /// that reached a tier's call count wait in its queue, and after one unbroken warm-up the JIT still had 18 % of the
    /// silo's and the gateway's samples during the measured run. A pause lets the queue drain, and the second half
    /// then gives the newly instrumented methods their calls towards the final tier.
    /// </summary>
    private static readonly TimeSpan WarmUpPause = TimeSpan.FromSeconds(5);

    /// <summary>Pause before each trickle record, on top of the second the probe waits before reading the previous one.</summary>
    private static readonly TimeSpan TricklePause = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(BenchSettings settings, ClusterSettings cluster, TextWriter output, CancellationToken cancellationToken)
    {
        var province = PostedProvince.Generate(settings.Enterprises, settings.GovernmentBodies, settings.Seed, settings.BatchSize);
        var (batches, bodies, types) = (province.Batches, province.Bodies, province.Types);
        var records = province.Records;
        var subjectsWithRecords = province.SubjectsWithRecords;

        await output.WriteLineAsync("PostgreSQL ingest benchmark (production path)");
        await output.WriteLineAsync($"  subjects            {province.Subjects:N0} ({settings.Enterprises:N0} enterprises + {settings.GovernmentBodies:N0} government bodies, seed {settings.Seed}); {subjectsWithRecords:N0} with records");
        await output.WriteLineAsync($"  records             {records:N0} in {batches.Length:N0} NDJSON batches of {settings.BatchSize:N0} ({bodies.Sum(b => (long)b.Length) / 1_048_576.0:F1} MiB)");
        await output.WriteLineAsync($"  posters             {settings.Posters}");
        await output.WriteLineAsync($"  cluster             {cluster.Silos} silo(s), {cluster.Gateways} gateway(s), {Partitions} log partitions (deploy/local/cluster.sh)");
        await output.WriteLineAsync($"  machine             {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        await output.WriteLineAsync($"  load average        {ProcessCpu.LoadAverage()} (before the cluster starts)");

        await using var grid = await ClusterScript.StartAsync(
            settings.RepositoryRoot, cluster.Silos, cluster.Gateways, cluster.Statements > 0 ? StatementProfile.ServerOptions : "", cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(grid.ConnectionString);
        string version;
        await using (var command = dataSource.CreateCommand("SHOW server_version"))
        {
            version = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await output.WriteLineAsync($"  PostgreSQL          {version}, fsync on, same machine ({grid.StateDirectory})");
        await output.WriteLineAsync($"  gateways            {string.Join(", ", grid.Gateways)}");

        var copy = await CopyBaseline.MeasureAsync(
            dataSource, batches, Partitions, () => grid.PostmasterProcessId() is { } pid ? ProcessCpu.PostgresSeconds(pid) : 0, cancellationToken);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", grid.Token);
        var endpoints = grid.Gateways.Select(g => new Uri(g, "api/v1/events")).ToArray();
        if (cluster.WarmupEnterprises > 0)
        {
            await WarmUpAsync(http, grid.Gateways[0], endpoints, settings, cluster.WarmupEnterprises, output, cancellationToken);
        }

        var probe = new AckLatencyProbe(http, grid.Gateways[0], batches, cluster.LatencySamples, cluster.LatencyReaders);
        var hosts = grid.HostProcessIds();
        var postmaster = grid.PostmasterProcessId();
        var cpuBefore = CpuSnapshot(hosts, postmaster);
        var loadBefore = ProcessCpu.LoadAverage();

        if (cluster.Statements > 0)
        {
            await StatementProfile.ResetAsync(dataSource, cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        var probing = Task.Run(() => probe.RunAsync(settings.FoldTimeout, cancellationToken), cancellationToken);
        HttpIngestResult ingest;
        try
        {
            ingest = await HttpIngestRun.RunAsync(
                http, endpoints, batches, bodies, settings.Posters, started, probe.OnAcknowledged, cancellationToken);
        }
        finally
        {
            probe.Complete();
        }

        var cpuAtLastAck = CpuSnapshot(hosts, postmaster);
        var ingestStatements = "";
        if (cluster.Statements > 0)
        {
            ingestStatements = await StatementProfile.ReportAsync(dataSource, records, cluster.Statements, cancellationToken);
            await StatementProfile.ResetAsync(dataSource, cancellationToken);
        }

        var fold = await FoldWaiter.WaitAsync(http, grid.Gateways[0], ingest.HighestSequence, types, started, settings.FoldTimeout, cancellationToken);
        var window = Stopwatch.GetElapsedTime(started);
        var cpuAfter = CpuSnapshot(hosts, postmaster);
        var probed = await probing;
        var loadAfter = ProcessCpu.LoadAverage();

        var posts = ingest.BatchMilliseconds.Order().ToArray();
        var copies = copy.BatchMilliseconds.Order().ToArray();
        var latencies = probed.Milliseconds.Order().ToArray();
        var ackRate = records / ingest.UntilLastAck.TotalSeconds;
        var copyRate = copy.Rows / copy.Elapsed.TotalSeconds;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"  answers             accepted {ingest.Accepted:N0}, duplicate {ingest.Duplicates:N0}, rejected {ingest.Rejected:N0}");
        await output.WriteLineAsync($"  raw COPY baseline   {copyRate,12:N0} rows/s      ({copy.Rows:N0} rows in {copy.Elapsed.TotalSeconds:F2} s; one writer, one COPY per batch, table with PK (partition, pos) + index (subject_id, subject_seq), dropped)");
        await output.WriteLineAsync($"  acknowledged ingest {ackRate,12:N0} records/s   (last 202 after {ingest.UntilLastAck.TotalSeconds:F2} s)");
        double? endToEnd = null;
        if (fold.UntilAllFolded is { } folded)
        {
            endToEnd = records / folded.TotalSeconds;
            await output.WriteLineAsync($"  end-to-end          {endToEnd,12:N0} records/s   (all {ingest.HighestSequence.Count:N0} subjects folded and readable after {folded.TotalSeconds:F2} s; {fold.Rounds} read rounds, {fold.Reads:N0} GETs)");
        }
        else
        {
            await output.WriteLineAsync($"  end-to-end          not reached: {fold.Lagging:N0} of {ingest.HighestSequence.Count:N0} subjects still lagged {settings.FoldTimeout.TotalSeconds:F0} s after the last 202");
        }

        await output.WriteLineAsync($"  acknowledged / COPY {ackRate / copyRate,12:F3}");
        if (endToEnd is { } e2e)
        {
            await output.WriteLineAsync($"  end-to-end / COPY   {e2e / copyRate,12:F3}");
        }

        await output.WriteLineAsync($"  ack→readable        p50 {IngestBenchmark.Percentile(latencies, 0.50):N0} ms, p99 {IngestBenchmark.Percentile(latencies, 0.99):N0} ms, max {(latencies.Length == 0 ? 0 : latencies[^1]):N0} ms " +
            $"({latencies.Length:N0} of {probed.Sampled:N0} sampled records, {probed.Unresolved:N0} unresolved; {cluster.LatencyReaders} readers, {probed.Reads:N0} GETs of {probed.MeanGetMilliseconds:F0} ms mean in {probed.Rounds:N0} rounds of {probed.MeanRoundMilliseconds:F0} ms mean + 20 ms pause)");
        var lowerBounds = probed.LowerBoundMilliseconds.Order().ToArray();
        await output.WriteLineAsync($"    lower bound       p50 {IngestBenchmark.Percentile(lowerBounds, 0.50):N0} ms, p99 {IngestBenchmark.Percentile(lowerBounds, 0.99):N0} ms (last answer that did not show the record yet)");
        var untilSent = probed.UntilSentMilliseconds.Order().ToArray();
        await output.WriteLineAsync($"    until GET sent    p50 {IngestBenchmark.Percentile(untilSent, 0.50):N0} ms, p99 {IngestBenchmark.Percentile(untilSent, 0.99):N0} ms (202 until the GET that showed the record was sent: time waiting for a reader)");
        var foldLatencies = probed.FoldedMilliseconds.Order().ToArray();
        await output.WriteLineAsync($"    until folded      p50 {IngestBenchmark.Percentile(foldLatencies, 0.50):N0} ms, p99 {IngestBenchmark.Percentile(foldLatencies, 0.99):N0} ms, max {(foldLatencies.Length == 0 ? 0 : foldLatencies[^1]):N0} ms " +
            $"(202 until the grain folded the record, from the answer's asOf; {foldLatencies.Length:N0} of {latencies.Length:N0} samples: those whose answer had the record as the last one applied)");
        await output.WriteLineAsync($"  POST latency        p50 {IngestBenchmark.Percentile(posts, 0.50):N0} ms, p99 {IngestBenchmark.Percentile(posts, 0.99):N0} ms (per batch of {settings.BatchSize:N0})");
        await output.WriteLineAsync($"  COPY per batch      p50 {IngestBenchmark.Percentile(copies, 0.50):N0} ms, p99 {IngestBenchmark.Percentile(copies, 0.99):N0} ms");
        await output.WriteLineAsync($"  CPU seconds         {CpuLine(cpuBefore, cpuAtLastAck, ingest.UntilLastAck)}  until the last 202");
        await output.WriteLineAsync($"  CPU µs per record   {PerRecordLine(cpuBefore, cpuAtLastAck, records)} until the last 202; {PerRecordLine(cpuBefore, cpuAfter, records)} until all folded; " +
            $"raw COPY: postgres {copy.PostgresCpuSeconds * 1e6 / copy.Rows:F0} per row");
        await output.WriteLineAsync($"                      {CpuLine(cpuAtLastAck, cpuAfter, window - ingest.UntilLastAck)}  from the last 202 until all folded");
        await output.WriteLineAsync($"  load average        {loadBefore} at the start of ingest, {loadAfter} at the end");

        if (cluster.Statements > 0)
        {
            await output.WriteLineAsync("  PostgreSQL statements until the last 202 (pg_stat_statements; µs per measured record):");
            await output.WriteAsync(ingestStatements);
            await output.WriteLineAsync("  PostgreSQL statements from the last 202 until all folded:");
            await output.WriteAsync(await StatementProfile.ReportAsync(dataSource, records, cluster.Statements, cancellationToken));
        }

        var trickleUnresolved = 0;
        if (cluster.Trickle > 0)
        {
            var trickle = await TrickleProbe.RunAsync(http, grid.Gateways[0], cluster.Trickle, settings.Seed + 2, TricklePause, cancellationToken);
            var trickled = trickle.FoldedMilliseconds.Order().ToArray();
            var trickledPosts = trickle.PostMilliseconds.Order().ToArray();
            trickleUnresolved = trickle.Unresolved;
            await output.WriteLineAsync($"  trickle             {cluster.Trickle:N0} records posted one at a time, each to its own enterprise (seed {settings.Seed + 2}), {TricklePause.TotalSeconds:F0} s + 1.5 s apart, so each finds its partition quiet");
            await output.WriteLineAsync($"    until folded      p50 {IngestBenchmark.Percentile(trickled, 0.50):N0} ms, p90 {IngestBenchmark.Percentile(trickled, 0.90):N0} ms, max {(trickled.Length == 0 ? 0 : trickled[^1]):N0} ms " +
                $"(202 until the grain folded the record, from the answer's asOf; {trickled.Length:N0} folded, {trickle.Unresolved:N0} not within 10 s); POST p50 {IngestBenchmark.Percentile(trickledPosts, 0.50):N1} ms");
        }

        var clean = ingest.Rejected == 0 && ingest.Accepted == records && fold.Lagging == 0 && probed.Unresolved == 0 && trickleUnresolved == 0;
        return clean ? 0 : 1;
    }

    /// <summary>
    /// Posts a separate province (the next seed, enterprises only) and waits until it is folded: a short run measured
    /// from a cold start is mostly the JIT compiling the gateway's and silo's code and Npgsql opening connections, which
    /// a cluster that has run for a minute no longer pays. Nothing of it is measured. It is posted in batches of at most
    /// <see cref="WarmUpBatchSize"/> records, in two halves each followed by <see cref="WarmUpPause"/> of quiet.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient http, Uri gateway, IReadOnlyList<Uri> endpoints, BenchSettings settings, int enterprises, TextWriter output, CancellationToken cancellationToken)
    {
        var province = PostedProvince.Generate(enterprises, governmentBodies: 0, settings.Seed + 1, Math.Min(settings.BatchSize, WarmUpBatchSize));
        var started = Stopwatch.GetTimestamp();
        var half = province.Batches.Length / 2;
        var highest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (from, to) in new[] { (0, half), (half, province.Batches.Length) })
        {
            var ingest = await HttpIngestRun.RunAsync(
                http, endpoints, province.Batches[from..to], province.Bodies[from..to], settings.Posters, Stopwatch.GetTimestamp(), onAcknowledged: null, cancellationToken);
            foreach (var (subject, sequence) in ingest.HighestSequence)
            {
                highest[subject] = Math.Max(sequence, highest.GetValueOrDefault(subject));
            }

            var fold = await FoldWaiter.WaitAsync(http, gateway, highest, province.Types, started, settings.FoldTimeout, cancellationToken);
            if (fold.Lagging > 0)
            {
                throw new BenchmarkFailedException($"The warm-up province did not fold: {fold.Lagging:N0} subjects still lagged.");
            }

            await Task.Delay(WarmUpPause, cancellationToken);
        }

        await output.WriteLineAsync($"  warm-up             {province.Records:N0} records of {enterprises:N0} other enterprises (seed {settings.Seed + 1}) posted in {province.Batches.Length:N0} batches and folded in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s (two halves, {WarmUpPause.TotalSeconds:F0} s pause after each), not measured");
    }

    private static Dictionary<string, double> CpuSnapshot(IReadOnlyDictionary<string, int> hosts, int? postmaster)
    {
        var snapshot = hosts.ToDictionary(h => h.Key, h => ProcessCpu.Seconds(h.Value), StringComparer.Ordinal);
        if (postmaster is { } pid)
        {
            snapshot["postgres"] = ProcessCpu.PostgresSeconds(pid);
        }

        snapshot["bench"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        return snapshot;
    }

    private static string PerRecordLine(Dictionary<string, double> from, Dictionary<string, double> to, long records) =>
        string.Join(", ", to.Keys.Where(name => name != "bench").Order(StringComparer.Ordinal)
            .Select(name => $"{name} {(to[name] - from.GetValueOrDefault(name)) * 1e6 / records:F0}"));

    private static string CpuLine(Dictionary<string, double> from, Dictionary<string, double> to, TimeSpan wall)
    {
        var parts = to.Keys.Order(StringComparer.Ordinal).Select(name => $"{name} {to[name] - from.GetValueOrDefault(name):F1}");
        var total = to.Sum(kv => kv.Value - from.GetValueOrDefault(kv.Key));
        return $"{string.Join(", ", parts)}; sum {total:F1} of {wall.TotalSeconds * Environment.ProcessorCount:F1} core-seconds in {wall.TotalSeconds:F1} s";
    }
}
