using CreditGrid.Bench.Ingest;
using CreditGrid.Bench.Lookup;

namespace CreditGrid.Bench.PreCredit;

/// <summary>The rounds of one endpoint taken together, with the gateway CPU time and managed allocations they cost.</summary>
internal sealed record EndpointRounds(IReadOnlyList<WrkResult> Rounds, TimeSpan GatewayCpu, long GatewayAllocatedBytes)
{
    public long Requests => Rounds.Sum(r => r.Requests);

    public long Errors => Rounds.Sum(r => r.Errors);

    /// <summary>Requests per second over the whole measured time of the rounds.</summary>
    public double RequestsPerSecond => Requests / Rounds.Sum(r => r.Requests / r.RequestsPerSecond);

    public double P50Ms => Median(Rounds.Select(r => r.P50Ms));

    public double P90Ms => Median(Rounds.Select(r => r.P90Ms));

    /// <summary>The median of the rounds' p99: one round disturbed by other work on the machine does not decide it.</summary>
    public double P99Ms => Median(Rounds.Select(r => r.P99Ms));

    public double CpuMicrosecondsPerRequest => GatewayCpu.TotalMicroseconds / Requests;

    /// <summary>Managed bytes the gateway allocated per request (0 when its metrics cannot be read).</summary>
    public double AllocatedBytesPerRequest => (double)GatewayAllocatedBytes / Requests;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// Measures two endpoints of one gateway in alternating rounds, swapping which goes first every round, so a drift in
/// the machine's load (two other workloads share its cores) weighs on both alike; the gateway's CPU time and its
/// allocated bytes are read around every round.
/// </summary>
internal static class AlternatingRounds
{
    public static async Task<(EndpointRounds Baseline, EndpointRounds Measured)> RunAsync(
        GatewayProcess gateway, Func<Task<long>> allocatedBytes, int rounds, Func<Task<WrkResult>> baseline, Func<Task<WrkResult>> measured)
    {
        var (baselineRounds, measuredRounds) = (new List<WrkResult>(), new List<WrkResult>());
        var (baselineCpu, measuredCpu) = (TimeSpan.Zero, TimeSpan.Zero);
        var (baselineBytes, measuredBytes) = (0L, 0L);
        for (var round = 0; round < rounds; round++)
        {
            var measuredFirst = round % 2 == 1;
            for (var leg = 0; leg < 2; leg++)
            {
                var allocatedBefore = await allocatedBytes();
                var cpuBefore = gateway.CpuTime;
                if (measuredFirst == (leg == 0))
                {
                    measuredRounds.Add(await measured());
                    measuredCpu += gateway.CpuTime - cpuBefore;
                    measuredBytes += await allocatedBytes() - allocatedBefore;
                }
                else
                {
                    baselineRounds.Add(await baseline());
                    baselineCpu += gateway.CpuTime - cpuBefore;
                    baselineBytes += await allocatedBytes() - allocatedBefore;
                }
            }
        }

        return (new EndpointRounds(baselineRounds, baselineCpu, baselineBytes), new EndpointRounds(measuredRounds, measuredCpu, measuredBytes));
    }

    /// <summary>
    /// Bytes the gateway has allocated on the managed heap since it started, from its metrics scrape
    /// (<c>dotnet.gc.heap.total_allocated</c>); 0 when telemetry is off. A scrape itself allocates a few tens of
    /// kilobytes, negligible beside a round's hundreds of thousands of requests.
    /// </summary>
    public static async Task<long> AllocatedBytesAsync(HttpClient http)
    {
        const string Metric = "dotnet_gc_heap_total_allocated_bytes_total";
        using var response = await http.GetAsync("metrics");
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (line.StartsWith(Metric, StringComparison.Ordinal) && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var bytes))
            {
                return (long)bytes;
            }
        }

        return 0;
    }
}
