using System.Diagnostics;
using CreditGrid.Domain.Events;

namespace CreditGrid.Simulator.Cli;

/// <summary>How <see cref="PostRunner"/> feeds the gateway.</summary>
/// <param name="EventsPerSecond">Pace of the live trickle; 0 posts as fast as the gateway answers. The history always goes as fast as it is answered.</param>
/// <param name="LiveDuration">Length of the live trickle; null skips it.</param>
public sealed record PostPlan(int BatchSize, double EventsPerSecond, TimeSpan? LiveDuration);

/// <summary>The two phases of <c>post</c>: the whole history in batches, then an optional live trickle.</summary>
public sealed class PostRunner(IngestClient client, TimeProvider time)
{
    // Live records are gathered at least this long so a slow trickle still travels in small batches, not one per request.
    private static readonly TimeSpan MinimumGather = TimeSpan.FromMilliseconds(100);

    public async Task<(IngestTally Tally, TimeSpan Elapsed)> PostHistoryAsync(ProvinceSimulator province, PostPlan plan, CancellationToken cancellationToken)
    {
        var tally = new IngestTally();
        var started = time.GetTimestamp();
        foreach (var batch in province.History().Chunk(plan.BatchSize))
        {
            tally.Add(batch.Length, await client.PostAsync(batch, cancellationToken));
        }

        return (tally, time.GetElapsedTime(started));
    }

    public async Task<(IngestTally Tally, TimeSpan Elapsed)> PostLiveAsync(ProvinceSimulator province, PostPlan plan, TimeSpan duration, CancellationToken cancellationToken)
    {
        var tally = new IngestTally();
        var started = time.GetTimestamp();
        // Bounded by the clock: every pass either posts or sleeps, and the loop ends when the duration is spent.
        while (time.GetElapsedTime(started) is var elapsed && elapsed < duration)
        {
            var paced = plan.EventsPerSecond > 0;
            var count = paced ? (int)Math.Min(plan.BatchSize, (long)(plan.EventsPerSecond * elapsed.TotalSeconds) - tally.Posted) : plan.BatchSize;
            if (count > 0)
            {
                var batch = new CreditEvent[count];
                for (var i = 0; i < count; i++)
                {
                    batch[i] = province.NextLiveEvent();
                }

                tally.Add(count, await client.PostAsync(batch, cancellationToken));
            }

            if (paced && count < plan.BatchSize)
            {
                var nextDue = TimeSpan.FromSeconds((tally.Posted + 1) / plan.EventsPerSecond) - time.GetElapsedTime(started);
                var remaining = duration - time.GetElapsedTime(started);
                var wait = nextDue > MinimumGather ? nextDue : MinimumGather;
                await Task.Delay(wait < remaining ? wait : remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cancellationToken);
            }
        }

        return (tally, time.GetElapsedTime(started));
    }
}
