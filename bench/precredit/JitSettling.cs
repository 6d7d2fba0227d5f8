using System.Diagnostics;
using CreditGrid.Bench.Lookup;

namespace CreditGrid.Bench.PreCredit;

/// <summary>How the warm-up ended: extra time spent, JIT milliseconds of each pair of legs, and whether it went quiet.</summary>
internal sealed record JitSettlingResult(TimeSpan Extra, IReadOnlyList<double> JitMillisecondsPerPair, bool Settled, bool Measurable);

/// <summary>
/// Keeps both endpoints loaded after the fixed warm-up until the gateway's JIT compiler goes quiet, so the rounds
/// measure the gateway a province runs for weeks, not one still tiering up. A gateway a minute old still recompiles
/// methods at their optimised tier on a background thread: periodic work (membership, statistics, heartbeats) and code
/// run once per connection reach tier-up call counts only after tens of seconds, and every restart of the load
/// generator opens new connections. A profile of a decision round after a 20 s warm-up found that thread with 7 % of the
/// gateway's samples, on two cores the rounds share.
/// </summary>
internal static class JitSettling
{
    public static async Task<JitSettlingResult> RunAsync(
        Func<Task<GatewayCounters>> counters, TimeSpan most, double quietMilliseconds, Func<Task> baseline, Func<Task> measured)
    {
        var perPair = new List<double>();
        var started = Stopwatch.GetTimestamp();
        if (most <= TimeSpan.Zero)
        {
            return new JitSettlingResult(TimeSpan.Zero, perPair, Settled: false, Measurable: true);
        }

        if ((await counters()).JitSeconds <= 0)
        {
            // Telemetry off: nothing to watch, so no settling either.
            return new JitSettlingResult(TimeSpan.Zero, perPair, Settled: false, Measurable: false);
        }

        while (Stopwatch.GetElapsedTime(started) < most)
        {
            var before = await counters();
            await baseline();
            await measured();
            var jit = (await counters() - before).JitSeconds * 1000;
            perPair.Add(jit);
            if (jit < quietMilliseconds)
            {
                return new JitSettlingResult(Stopwatch.GetElapsedTime(started), perPair, Settled: true, Measurable: true);
            }
        }

        return new JitSettlingResult(Stopwatch.GetElapsedTime(started), perPair, Settled: false, Measurable: true);
    }
}
