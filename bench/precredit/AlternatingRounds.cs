using CreditGrid.Bench.Ingest;
using CreditGrid.Bench.Lookup;

namespace CreditGrid.Bench.PreCredit;

/// <summary>
/// The rounds of one endpoint taken together, with the gateway CPU time, managed allocations and JIT compilation time
/// they cost.
/// </summary>
internal sealed record EndpointRounds(IReadOnlyList<WrkResult> Rounds, TimeSpan GatewayCpu, GatewayCounters Gateway)
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
    public double AllocatedBytesPerRequest => (double)Gateway.AllocatedBytes / Requests;

    /// <summary>Milliseconds the gateway's JIT compiler worked during these rounds (0 when its metrics cannot be read).</summary>
    public double JitMilliseconds => Gateway.JitSeconds * 1000;

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
        GatewayProcess gateway, Func<Task<GatewayCounters>> counters, int rounds, Func<Task<WrkResult>> baseline, Func<Task<WrkResult>> measured)
    {
        var (baselineRounds, measuredRounds) = (new List<WrkResult>(), new List<WrkResult>());
        var (baselineCpu, measuredCpu) = (TimeSpan.Zero, TimeSpan.Zero);
        var (baselineCounters, measuredCounters) = (default(GatewayCounters), default(GatewayCounters));
        for (var round = 0; round < rounds; round++)
        {
            var measuredFirst = round % 2 == 1;
            for (var leg = 0; leg < 2; leg++)
            {
                var countersBefore = await counters();
                var cpuBefore = gateway.CpuTime;
                if (measuredFirst == (leg == 0))
                {
                    measuredRounds.Add(await measured());
                    measuredCpu += gateway.CpuTime - cpuBefore;
                    measuredCounters += await counters() - countersBefore;
                }
                else
                {
                    baselineRounds.Add(await baseline());
                    baselineCpu += gateway.CpuTime - cpuBefore;
                    baselineCounters += await counters() - countersBefore;
                }
            }
        }

        return (new EndpointRounds(baselineRounds, baselineCpu, baselineCounters), new EndpointRounds(measuredRounds, measuredCpu, measuredCounters));
    }
}
