using System.Collections.Concurrent;

namespace CreditGrid.Storage.Entries;

/// <summary>The single-process twin: entries live as long as the process.</summary>
public sealed class InMemoryGrainEntryStore : IGrainEntryStore
{
    private readonly ConcurrentDictionary<string, Dictionary<string, byte[]>> _owners = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<GrainEntry>> ReadAsync(string owner, CancellationToken cancellationToken = default)
    {
        if (!_owners.TryGetValue(owner, out var entries))
        {
            return Task.FromResult<IReadOnlyList<GrainEntry>>([]);
        }

        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<GrainEntry>>([.. entries.Select(e => new GrainEntry(e.Key, e.Value))]);
        }
    }

    public Task WriteAsync(string owner, IReadOnlyList<GrainEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var stored = _owners.GetOrAdd(owner, _ => new Dictionary<string, byte[]>(StringComparer.Ordinal));
        lock (stored)
        {
            foreach (var entry in entries)
            {
                stored[entry.Key] = entry.Value;
            }
        }

        return Task.CompletedTask;
    }
}
