namespace CreditGrid.Grains.Cities;

/// <summary>
/// When each subject of a unit is next changed by time alone, earliest first. Updates push a new entry and leave
/// the old one to be skipped when it surfaces, so a report costs O(log n) and nothing is searched.
/// </summary>
internal sealed class DueSchedule
{
    private readonly PriorityQueue<string, DateTimeOffset> _queue = new();
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);

    public int Count => _due.Count;

    /// <summary>Sets (or with null clears) the subject's due instant; true when the earliest instant moved earlier.</summary>
    public bool Set(string subjectId, DateTimeOffset? due)
    {
        if (due is not { } at)
        {
            _due.Remove(subjectId);
            return false;
        }

        if (_due.TryGetValue(subjectId, out var existing) && existing == at)
        {
            return false;
        }

        var earliest = Earliest();
        _due[subjectId] = at;
        _queue.Enqueue(subjectId, at);
        CompactIfStale();
        return earliest is not { } e || at < e;
    }

    /// <summary>The earliest due instant, or null when nothing is scheduled.</summary>
    public DateTimeOffset? Earliest()
    {
        SkipStale();
        return _queue.TryPeek(out _, out var at) ? at : null;
    }

    /// <summary>Removes and returns every subject due at or before <paramref name="now"/>.</summary>
    public List<string> TakeDue(DateTimeOffset now)
    {
        var taken = new List<string>();
        while (true)
        {
            SkipStale();
            if (!_queue.TryPeek(out var subject, out var at) || at > now)
            {
                return taken;
            }

            _queue.Dequeue();
            _due.Remove(subject);
            taken.Add(subject);
        }
    }

    private void SkipStale()
    {
        while (_queue.TryPeek(out var subject, out var at) && (!_due.TryGetValue(subject, out var current) || current != at))
        {
            _queue.Dequeue();
        }
    }

    /// <summary>Superseded entries are dropped lazily; rebuild when they outnumber live ones so memory stays O(subjects).</summary>
    private void CompactIfStale()
    {
        if (_queue.Count <= 64 || _queue.Count <= 2 * _due.Count)
        {
            return;
        }

        _queue.Clear();
        foreach (var (subject, at) in _due)
        {
            _queue.Enqueue(subject, at);
        }
    }
}
