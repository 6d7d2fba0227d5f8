namespace CreditGrid.Storage;

/// <summary>
/// Tells the readers of the log's partitions that records were appended to them, so that a reader which spaces out
/// its reads of a quiet partition reads it at its next poll instead of at the end of its wait.
/// </summary>
/// <remarks>
/// A hint, never the delivery itself: readers keep reading on their own schedule, so a wake-up that never comes (no
/// listener connected, an append made in another process while the listener reconnects) delays a record by at most
/// that schedule and loses nothing. The single-process log wakes its readers directly; on PostgreSQL the log's
/// notifications do (<see cref="PostgreSql.PostgresCreditLogListener"/>).
/// </remarks>
public sealed class CreditLogWakeups
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Action[]> _readers = [];

    /// <summary>Calls <paramref name="wake"/> whenever records are appended to <paramref name="partition"/>, until disposed.</summary>
    public IDisposable Register(int partition, Action wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        lock (_gate)
        {
            _readers[partition] = _readers.TryGetValue(partition, out var readers) ? [.. readers, wake] : [wake];
        }

        return new Registration(this, partition, wake);
    }

    /// <summary>Records were appended to <paramref name="partition"/>.</summary>
    public void Appended(int partition)
    {
        Action[]? readers;
        lock (_gate)
        {
            _readers.TryGetValue(partition, out readers);
        }

        foreach (var wake in readers ?? [])
        {
            wake();
        }
    }

    /// <summary>Records may have been appended to any partition (nobody was listening for a while).</summary>
    public void AppendedAnywhere()
    {
        Action[] readers;
        lock (_gate)
        {
            readers = [.. _readers.Values.SelectMany(r => r)];
        }

        foreach (var wake in readers)
        {
            wake();
        }
    }

    private void Unregister(int partition, Action wake)
    {
        lock (_gate)
        {
            if (!_readers.TryGetValue(partition, out var readers))
            {
                return;
            }

            var index = Array.IndexOf(readers, wake);
            if (index < 0)
            {
                return;
            }

            Action[] remaining = [.. readers[..index], .. readers[(index + 1)..]];
            if (remaining.Length == 0)
            {
                _readers.Remove(partition);
            }
            else
            {
                _readers[partition] = remaining;
            }
        }
    }

    private sealed class Registration(CreditLogWakeups wakeups, int partition, Action wake) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                wakeups.Unregister(partition, wake);
            }
        }
    }
}
