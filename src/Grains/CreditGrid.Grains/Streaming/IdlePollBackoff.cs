namespace CreditGrid.Grains.Streaming;

/// <summary>
/// Spaces out the reads of a log partition that has been quiet for a while. The pulling agent asks every poll
/// interval. While the partition had events within the last <see cref="QuietSpell"/> it is read at every poll; after
/// that, each empty read doubles the wait before the next one, from one poll interval up to <c>longest</c>. A read that
/// finds events makes the next one due at once again, and so does a wake-up (<see cref="Wake"/>): the log announces
/// its appends (<see cref="CreditGrid.Storage.CreditLogWakeups"/>), so a quiet partition is read at the first poll after
/// a record arrives rather than at the end of its wait.
/// </summary>
/// <remarks>
/// Without it an idle silo queried PostgreSQL 50 times a second per partition (800 queries a second with the default
/// 16), which kept a quarter of a core busy in the silo and a fifth in PostgreSQL while nothing happened. A partition
/// fed steadily, even slowly, never goes quiet, so its records are read as promptly as before. The first record after
/// a quiet spell is read at the next poll when its append is announced, and within <c>longest</c> when it is not (no
/// listener connected): the wait bounds the delay of a missed announcement.
/// </remarks>
public sealed class IdlePollBackoff
{
    /// <summary>How long a partition must have had no events before its reads are spaced out.</summary>
    public static readonly TimeSpan QuietSpell = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _longest;
    private readonly TimeProvider _time;
    private TimeSpan _wait = TimeSpan.Zero;
    private long _lastEmptyRead;
    private long _lastEvents;
    private int _woken;

    public IdlePollBackoff(TimeSpan pollInterval, TimeSpan longest, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(longest, pollInterval);
        _pollInterval = pollInterval;
        _longest = longest;
        _time = time;
        _lastEvents = time.GetTimestamp();
    }

    /// <summary>How long after the last empty read the next read is due; zero while the partition has events.</summary>
    public TimeSpan Wait => _wait;

    /// <summary>Whether reads are spaced out beyond the poll interval: the partition has been quiet past the quiet spell.</summary>
    public bool Waiting => _wait > _pollInterval;

    /// <summary>
    /// Whether the partition should be read now: after a wake-up, while it has events, or once its wait is over. Polls
    /// arrive about one interval apart, not exactly, so a read is due half an interval early rather than a whole
    /// interval late. Answering true uses up a wake-up, so one that arrives during the read makes the next poll read
    /// again instead of being lost.
    /// </summary>
    public bool IsDue() =>
        Interlocked.Exchange(ref _woken, 0) == 1
        || _wait == TimeSpan.Zero
        || _time.GetElapsedTime(_lastEmptyRead) >= _wait - _pollInterval / 2;

    /// <summary>Records were appended to the partition: the next poll reads it, whatever its wait. Safe from any thread.</summary>
    public void Wake() => Volatile.Write(ref _woken, 1);

    /// <summary>
    /// A read found nothing: read again at the next poll while the partition had events within the quiet spell,
    /// otherwise wait twice as long as last time, up to the longest wait.
    /// </summary>
    public void FoundNothing()
    {
        _lastEmptyRead = _time.GetTimestamp();
        _wait = _wait == TimeSpan.Zero || _time.GetElapsedTime(_lastEvents) < QuietSpell
            ? _pollInterval
            : TimeSpan.FromTicks(Math.Min(_wait.Ticks * 2, _longest.Ticks));
    }

    /// <summary>A read found events: read again at the next poll.</summary>
    public void FoundEvents()
    {
        _wait = TimeSpan.Zero;
        _lastEvents = _time.GetTimestamp();
    }
}
