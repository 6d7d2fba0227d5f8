namespace CreditGrid.Grains.Streaming;

/// <summary>Tuning of the log-backed stream (configuration section <c>CreditGrid:Stream</c>).</summary>
public sealed class CreditLogStreamOptions
{
    public const string Section = "CreditGrid:Stream";

    /// <summary>Log partitions, one stream queue each; more than silos so queues balance (changing it re-partitions the log).</summary>
    public int Partitions { get; set; } = 16;

    /// <summary>How often each queue polls its partition; latency from commit to fold is about half of it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Longest wait between reads of a partition that has had no events for <see cref="IdlePollBackoff.QuietSpell"/>:
    /// from then on each empty read doubles the wait from <see cref="PollInterval"/> up to this, and a read that finds
    /// events returns to every poll. An announced append (<see cref="ListenForAppends"/>) is read at the next poll
    /// whatever the wait, so this bounds the delay only of one that was not announced, and can be long: at one second
    /// an idle silo and its PostgreSQL spent 3.2 and 0.2 CPU-seconds per 30 s, against 4.1–4.7 and 0.7 at 200 ms
    /// (<c>bench/README.md</c>). Without announcements, shorten it. Equal to <see cref="PollInterval"/>, every poll
    /// reads.
    /// </summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On PostgreSQL, whether each silo listens for the log's append notifications (V011) and wakes the readers of the
    /// partitions appended to, so the first record after a quiet spell is read at the next poll rather than up to
    /// <see cref="IdlePollInterval"/> later. Turn it off where <c>LISTEN</c> is unavailable, e.g. behind a connection
    /// pooler in transaction mode; the readers then rely on their own schedule alone, so shorten
    /// <see cref="IdlePollInterval"/> too.
    /// </summary>
    public bool ListenForAppends { get; set; } = true;

    /// <summary>
    /// How long a subject's stream may go without events before its queue forgets it (its next event registers it
    /// again). The pulling agent scans every remembered stream on every poll, so this bounds that work by the subjects
    /// active lately rather than by every subject a silo has seen.
    /// </summary>
    public TimeSpan InactivityPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most events read from a partition in one poll.</summary>
    public int ReadBatchSize { get; set; } = 1024;

    /// <summary>Events a queue may hold in its cache; also the read depth.</summary>
    public int CacheSize { get; set; } = 16384;

    /// <summary>Longest delay before a delivered position is checkpointed while the queue is busy.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
