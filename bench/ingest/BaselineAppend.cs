using System.Diagnostics;
using CreditGrid.Domain.Events;
using CreditGrid.Grains.Streaming;
using CreditGrid.Storage.InMemory;

namespace CreditGrid.Bench.Ingest;

/// <summary>
/// The floor under the grid's ingest: the same records appended in the same batches straight to the in-memory
/// credit-event log the gateway uses, with no HTTP, JSON, validation or grains in between.
/// </summary>
public static class BaselineAppend
{
    public static async Task<TimeSpan> MeasureAsync(IReadOnlyList<CreditEvent[]> batches, int partitions)
    {
        // A throw-away pass first, so the timed pass measures appends rather than JIT compilation.
        await AppendAllAsync(new InMemoryCreditEventLog(new CreditLogPartitioner(partitions)), batches);
        var log = new InMemoryCreditEventLog(new CreditLogPartitioner(partitions));
        var started = Stopwatch.GetTimestamp();
        await AppendAllAsync(log, batches);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var expected = batches.Sum(b => (long)b.Length);
        if (log.Count != expected)
        {
            throw new BenchmarkFailedException($"The baseline log holds {log.Count:N0} records, expected {expected:N0}.");
        }

        return elapsed;
    }

    private static async Task AppendAllAsync(InMemoryCreditEventLog log, IReadOnlyList<CreditEvent[]> batches)
    {
        foreach (var batch in batches)
        {
            await log.AppendAsync(batch);
        }
    }
}
