using System.Diagnostics;

namespace CreditGrid.Bench.PreCredit;

/// <summary>Runs an operation from a number of concurrent callers and reports latency percentiles.</summary>
internal static class Latency
{
    public sealed record Result(int Count, double P50, double P99, double Max, double PerSecond);

    public static async Task<Result> MeasureAsync(int concurrency, int total, Func<int, Task> operation)
    {
        var samples = new double[total];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(i);
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(samples);
        return new Result(total, samples[(int)(total * 0.50)], samples[Math.Min(total - 1, (int)(total * 0.99))], samples[^1], total / elapsed);
    }

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
