namespace CreditGrid.Grains.Streaming;

/// <summary>
/// Spaces out the reads of a log partition that keeps coming back empty. The pulling agent asks every poll interval;
/// after an empty read the next one is due one interval later, and each further empty read doubles that wait up to
/// <c>longest</c>. A read that finds events makes the next one due at once again, so a busy partition is read at
/// every poll and only a quiet one backs off.
/// </summary>
/// <remarks>
/// Without it an idle silo queried PostgreSQL 50 times a second per partition (800 queries a second with the default
/// 16), which kept a quarter of a core busy in the silo and a fifth in PostgreSQL while nothing happened. The price is
/// that the first record after a quiet spell is read up to <c>longest</c> later.
/// </remarks>
public sealed class IdlePollBackoff
{
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _longest;
    private readonly TimeProvider _time;
    private TimeSpan _wait = TimeSpan.Zero;
    private long _lastEmptyRead;

    public IdlePollBackoff(TimeSpan pollInterval, TimeSpan longest, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(longest, pollInterval);
        _pollInterval = pollInterval;
        _longest = longest;
        _time = time;
    }

    /// <summary>How long after the last empty read the next read is due; zero while the partition has events.</summary>
    public TimeSpan Wait => _wait;

    /// <summary>
    /// Whether the partition should be read now. Polls arrive about one interval apart, not exactly, so a read is due
    /// half an interval early rather than a whole interval late.
    /// </summary>
    public bool IsDue() => _wait == TimeSpan.Zero || _time.GetElapsedTime(_lastEmptyRead) >= _wait - _pollInterval / 2;

    /// <summary>A read found nothing: wait one interval more than last time, doubling, up to the longest wait.</summary>
    public void FoundNothing()
    {
        _lastEmptyRead = _time.GetTimestamp();
        _wait = _wait == TimeSpan.Zero ? _pollInterval : TimeSpan.FromTicks(Math.Min(_wait.Ticks * 2, _longest.Ticks));
    }

    /// <summary>A read found events: read again at the next poll.</summary>
    public void FoundEvents() => _wait = TimeSpan.Zero;
}
