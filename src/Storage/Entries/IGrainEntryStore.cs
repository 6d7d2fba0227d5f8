namespace CreditGrid.Storage.Entries;

/// <summary>
/// Grain state kept as one row per entry, for grains holding one entry per subject (city aggregates, the name
/// directory): a write carries the entries that changed, not the grain's whole state.
/// </summary>
public interface IGrainEntryStore
{
    /// <summary>Every entry of <paramref name="owner"/> (<c>grain type/grain key</c>), in no particular order.</summary>
    Task<IReadOnlyList<GrainEntry>> ReadAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or replaces <paramref name="entries"/> of <paramref name="owner"/> atomically: after a failure none of
    /// them may have been written, and the caller writes them again.
    /// </summary>
    Task WriteAsync(string owner, IReadOnlyList<GrainEntry> entries, CancellationToken cancellationToken = default);
}

/// <summary>One entry: its key within the owner and its value as UTF-8 JSON, handed over (the store may keep the array).</summary>
public readonly record struct GrainEntry(string Key, byte[] Value);
