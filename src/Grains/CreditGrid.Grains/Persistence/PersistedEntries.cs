using System.Text.Json;
using CreditGrid.Grains.Serialization;
using CreditGrid.Storage.Entries;

namespace CreditGrid.Grains.Persistence;

/// <summary>
/// A grain's dictionary of one entry per subject, persisted entry by entry (<see cref="IGrainEntryStore"/>): the
/// grain changes entries in memory and writes behind only those changed since its last write. Used from one grain
/// activation, so not thread-safe.
/// </summary>
/// <typeparam name="TValue">An immutable entry (a record); it is serialised when written, not when set.</typeparam>
/// <param name="grainType">With <paramref name="grainKey"/>, the owner of the rows (<c>type/key</c>), so grain types
/// sharing a key never share entries.</param>
public sealed class PersistedEntries<TValue>(IGrainEntryStore store, string grainType, string grainKey)
    where TValue : class
{
    private readonly string _owner = grainType + "/" + grainKey;
    private readonly Dictionary<string, TValue> _entries = new(StringComparer.Ordinal);
    private HashSet<string> _changed = new(StringComparer.Ordinal);

    /// <summary>The entries, as last set.</summary>
    public IReadOnlyDictionary<string, TValue> Entries => _entries;

    /// <summary>Whether some entry changed since the last successful write.</summary>
    public bool HasChanges => _changed.Count > 0;

    /// <summary>Reads every stored entry; called once, on activation, before anything is set.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await store.ReadAsync(_owner, cancellationToken))
        {
            _entries[entry.Key] = JsonSerializer.Deserialize<TValue>(entry.Value, DomainSerialization.Options)
                ?? throw new InvalidDataException($"Entry '{entry.Key}' of '{_owner}' is null.");
        }
    }

    public void Set(string key, TValue value)
    {
        _entries[key] = value;
        _changed.Add(key);
    }

    /// <summary>
    /// Writes the entries changed since the last write, as they are now. Entries changed while the write is under way
    /// are left for the next one; after a failure the written set is marked changed again and the exception rethrown.
    /// </summary>
    public async Task WriteChangesAsync(CancellationToken cancellationToken)
    {
        if (_changed.Count == 0)
        {
            return;
        }

        var writing = _changed;
        _changed = new HashSet<string>(StringComparer.Ordinal);
        var batch = new GrainEntry[writing.Count];
        var i = 0;
        foreach (var key in writing)
        {
            batch[i++] = new GrainEntry(key, JsonSerializer.SerializeToUtf8Bytes(_entries[key], DomainSerialization.Options));
        }

        try
        {
            await store.WriteAsync(_owner, batch, cancellationToken);
        }
        catch
        {
            _changed.UnionWith(writing);
            throw;
        }
    }
}
