using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CreditGrid.Bench.Ingest;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Reference;
using CreditGrid.Simulator;

namespace CreditGrid.Bench.Lookup;

/// <summary>What one run measures and with what.</summary>
public sealed record LookupSettings(int Subjects, int Connections, int Threads, TimeSpan Duration, int Rounds, TimeSpan Warmup, string RepositoryRoot, IReadOnlyList<string> GatewayArguments);

/// <summary>
/// Score lookups through the gateway with authentication and audit on, on warm grains, beside a constant-JSON
/// endpoint of the same gateway in the same run: the constant endpoint is the ceiling the HTTP stack and the load
/// generator allow on this machine, so the ratio isolates what a lookup adds (token check, audit record, grain call,
/// serialization).
/// </summary>
public static class LookupBenchmark
{

    public static async Task<int> RunAsync(LookupSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var gatewayDll = Path.Combine(settings.RepositoryRoot, "src", "Gateway", "bin", "Release", "net10.0", "CreditGrid.Gateway.dll");
        var department = UsccGenerator.Create(new Random(7), '1', '1', "610000");
        var readerToken = await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "supervisor", "--subject", "bench-lookup"], cancellationToken);
        var loaderToken = await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "department", "--uscc", department, "--subject", "bench-loader"], cancellationToken);
        var adminToken = await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "admin", "--subject", "bench-auditor"], cancellationToken);

        await output.WriteLineAsync("Lookup benchmark: GET /api/v1/enterprises/{uscc} (JWT + audit on) beside GET /api/v1/ping (constant JSON), same gateway, same run");
        await output.WriteLineAsync($"  machine             {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        await output.WriteLineAsync($"  subjects            {settings.Subjects:N0} enterprises, every one activated before measuring");
        await output.WriteLineAsync($"  load                wrk -t{settings.Threads} -c{settings.Connections}, {settings.Warmup.TotalSeconds:F0} s warm-up, then {settings.Rounds} rounds of {settings.Duration.TotalSeconds:F0} s measured per endpoint, load generator on the same machine");

        // The Orleans dashboard's grain-call profiler is off: it costs a filter on every call while someone watches.
        await output.WriteLineAsync("  gateway             single process (co-hosted silo), in-memory log, JWT + audit + metrics on, request tracing off (no exporter); per-client rate limit and Orleans dashboard off");
        if (settings.GatewayArguments.Count > 0)
        {
            await output.WriteLineAsync($"  gateway arguments   {string.Join(' ', settings.GatewayArguments)}");
        }

        await using var gateway = GatewayProcess.Start(gatewayDll, partitions: 16, ["--CreditGrid:Dashboard:Enabled=false", .. settings.GatewayArguments.Select(a => "--" + a)]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Connections }) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readerToken);
        await gateway.WaitUntilReadyAsync(http, UsccGenerator.Create(new Random(1), '9', '1', "610103"), TimeSpan.FromSeconds(90), cancellationToken);

        var codes = Codes(settings.Subjects);
        var load = Stopwatch.StartNew();
        await LoadAsync(http, loaderToken, department, codes, cancellationToken);
        await output.WriteLineAsync($"  loaded              {codes.Count:N0} records in {load.Elapsed.TotalSeconds:F1} s");

        var warm = Stopwatch.StartNew();
        await WarmAsync(http, readerToken, codes, settings.Connections, cancellationToken);
        await output.WriteLineAsync($"  warmed              every subject read once in {warm.Elapsed.TotalSeconds:F1} s");

        var codesFile = Path.Combine(Path.GetTempPath(), $"creditgrid-lookup-{Environment.ProcessId}.txt");
        await File.WriteAllLinesAsync(codesFile, codes, cancellationToken);
        var script = Path.Combine(AppContext.BaseDirectory, "lookup.lua");
        var environment = new Dictionary<string, string> { ["CODES_FILE"] = codesFile, ["TOKEN"] = readerToken };
        try
        {
            var ping = new Uri(gateway.BaseAddress, "api/v1/ping");
            var lookup = new Uri(gateway.BaseAddress, "/");
            await Wrk.RunAsync(ping, settings.Threads, settings.Connections, settings.Warmup, null, environment, cancellationToken);
            await Wrk.RunAsync(lookup, settings.Threads, settings.Connections, settings.Warmup, script, environment, cancellationToken);

            // Rounds alternate the two endpoints (and swap which goes first) so that a drift in the machine's load
            // weighs on both alike; the figures are totals over the rounds and medians of the rounds' percentiles.
            var constants = new List<WrkResult>();
            var lookups = new List<WrkResult>();
            var constantCpu = TimeSpan.Zero;
            var lookupCpu = TimeSpan.Zero;
            long constantAllocated = 0, lookupAllocated = 0;
            var audited = await AuditSequenceAsync(http, adminToken, cancellationToken);
            for (var round = 0; round < settings.Rounds; round++)
            {
                foreach (var lookupFirst in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    var allocatedBefore = (await GatewayCounters.ReadAsync(http, cancellationToken)).AllocatedBytes;
                    var cpuBefore = gateway.CpuTime;
                    if (lookupFirst)
                    {
                        lookups.Add(await Wrk.RunAsync(lookup, settings.Threads, settings.Connections, settings.Duration, script, environment, cancellationToken));
                        lookupCpu += gateway.CpuTime - cpuBefore;
                        lookupAllocated += (await GatewayCounters.ReadAsync(http, cancellationToken)).AllocatedBytes - allocatedBefore;
                    }
                    else
                    {
                        constants.Add(await Wrk.RunAsync(ping, settings.Threads, settings.Connections, settings.Duration, null, environment, cancellationToken));
                        constantCpu += gateway.CpuTime - cpuBefore;
                        constantAllocated += (await GatewayCounters.ReadAsync(http, cancellationToken)).AllocatedBytes - allocatedBefore;
                    }
                }
            }

            var auditedAfter = await AuditSequenceAsync(http, adminToken, cancellationToken);

            await output.WriteLineAsync();
            await output.WriteLineAsync("  round  endpoint                          requests/s     p50 ms     p90 ms     p99 ms    errors");
            for (var round = 0; round < settings.Rounds; round++)
            {
                await Row(output, $"{round + 1,5}  GET /api/v1/ping (baseline)", constants[round]);
                await Row(output, $"{round + 1,5}  GET /api/v1/enterprises/{{uscc}}", lookups[round]);
            }

            var constant = Summary.Of(constants);
            var lookupSummary = Summary.Of(lookups);
            await output.WriteLineAsync();
            await output.WriteLineAsync($"  all rounds: requests/s over the whole measured time; p50, p90, p99 the median of the rounds'");
            await Row(output, "  all  GET /api/v1/ping (baseline)", constant);
            await Row(output, "  all  GET /api/v1/enterprises/{uscc}", lookupSummary);
            await output.WriteLineAsync();
            var throughputRatio = lookupSummary.RequestsPerSecond / constant.RequestsPerSecond;
            var p99Ratio = lookupSummary.P99Ms / constant.P99Ms;
            var roundRatios = string.Join(", ", constants.Zip(lookups, (c, l) => (l.RequestsPerSecond / c.RequestsPerSecond).ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
            await output.WriteLineAsync($"  throughput ratio    {throughputRatio:F3} of the constant endpoint (target ≥ 0.5); per round {roundRatios}");
            await output.WriteLineAsync($"  p99 ratio           {p99Ratio:F2}× the constant endpoint's p99 (target ≤ 1.5)");
            var constantCpuPerRequest = constantCpu.TotalMicroseconds / constant.Requests;
            var lookupCpuPerRequest = lookupCpu.TotalMicroseconds / lookupSummary.Requests;
            await output.WriteLineAsync($"  gateway CPU         {constantCpuPerRequest:F1} µs per constant request, {lookupCpuPerRequest:F1} µs per lookup ({lookupCpuPerRequest / constantCpuPerRequest:F2}×); less sensitive to other load on the machine than the rates");
            if (constantAllocated > 0 && lookupAllocated > 0)
            {
                // The runtime's own counter, so this does not move with the machine's load at all.
                var constantBytes = (double)constantAllocated / constant.Requests;
                var lookupBytes = (double)lookupAllocated / lookupSummary.Requests;
                await output.WriteLineAsync($"  gateway allocation  {constantBytes:N0} B per constant request, {lookupBytes:N0} B per lookup (managed heap; includes the background work of the same seconds)");
            }

            if (audited is { } before && auditedAfter is { } after)
            {
                await output.WriteLineAsync($"  audit records       {after - before:N0} written during the measured lookups ({lookupSummary.Requests:N0} requests)");
            }

            var met = throughputRatio >= 0.5 && p99Ratio <= 1.5 && lookupSummary.Errors == 0;
            await output.WriteLineAsync($"  targets             {(met ? "met" : "NOT met")}");
            return 0;
        }
        finally
        {
            File.Delete(codesFile);
        }
    }

    private static Task Row(TextWriter output, string name, WrkResult r) =>
        output.WriteLineAsync($"  {name,-39} {r.RequestsPerSecond,10:N0} {r.P50Ms,10:F2} {r.P90Ms,10:F2} {r.P99Ms,10:F2} {r.Errors,9:N0}");

    /// <summary>Rounds of one endpoint taken together.</summary>
    private static class Summary
    {
        public static WrkResult Of(IReadOnlyList<WrkResult> rounds) => new(
            rounds.Sum(r => r.Requests) / rounds.Sum(r => r.Requests / r.RequestsPerSecond),
            Median(rounds.Select(r => r.P50Ms)),
            Median(rounds.Select(r => r.P90Ms)),
            Median(rounds.Select(r => r.P99Ms)),
            rounds.Sum(r => r.Requests),
            rounds.Sum(r => r.Errors),
            "");

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    /// <summary>Enterprises spread over the 107 county-level units, the same set for a given count.</summary>
    private static List<string> Codes(int count)
    {
        var random = new Random(2023);
        var counties = AdministrativeDivisions.CountyLevel;
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < count)
        {
            codes.Add(UsccGenerator.Create(random, '9', '1', counties[codes.Count % counties.Count].Code));
        }

        return [.. codes];
    }

    /// <summary>One licence per enterprise, in NDJSON batches of 10,000, then waits until the last one is readable.</summary>
    private static async Task LoadAsync(HttpClient http, string token, string department, List<string> codes, CancellationToken cancellationToken)
    {
        var decided = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-30);
        foreach (var chunk in codes.Chunk(10_000))
        {
            var body = new StringBuilder();
            foreach (var code in chunk)
            {
                body.AppendLine(CreditRecordWriter.ToNdjsonLine(new CreditEvent
                {
                    RecordId = $"bench-lookup-{code}",
                    SubjectId = code,
                    SubjectType = SubjectType.Enterprise,
                    SourceDepartment = department,
                    DecisionDate = decided,
                    Details = new LicenceGranted("食品经营许可证", decided.AddYears(5)),
                }));
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/events") { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new BenchmarkFailedException($"Loading answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    /// <summary>Reads every subject once so each grain is active, retrying those the stream has not folded yet.</summary>
    private static async Task WarmAsync(HttpClient http, string token, List<string> codes, int concurrency, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        await Parallel.ForEachAsync(codes, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (code, ct) =>
        {
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/enterprises/{code}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                if (response.StatusCode != HttpStatusCode.NotFound || deadline.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new BenchmarkFailedException($"Warming {code} answered {(int)response.StatusCode}.");
                }

                await Task.Delay(100, ct);
            }
        });
    }

    /// <summary>The newest audit sequence number, to count the records the lookups wrote; null when audit cannot be read.</summary>
    private static async Task<long?> AuditSequenceAsync(HttpClient http, string adminToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/audit/verify");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.TryGetProperty("lastSequence", out var last) && last.ValueKind == System.Text.Json.JsonValueKind.Number ? last.GetInt64() : null;
    }
}
