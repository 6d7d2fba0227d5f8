using System.Diagnostics;

namespace CreditGrid.Bench.PreCredit;

/// <summary>Times an in-process operation call by call and reports latency percentiles.</summary>
internal static class Latency
{
    public sealed record Result(int Count, double P50, double P99, double Max, double PerSecond);

    public static Result Measure(int total, Action<int> operation)
    {
        var samples = new double[total];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var started = Stopwatch.GetTimestamp();
            operation(i);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(samples);
        return new Result(total, samples[(int)(total * 0.50)], samples[Math.Min(total - 1, (int)(total * 0.99))], samples[^1], total / elapsed);
    }
}
