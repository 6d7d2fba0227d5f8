using CreditGrid.Grains.Persistence;
using CreditGrid.Storage.Entries;

namespace CreditGrid.Grains.Directory;

/// <summary>
/// A shard of the subject-name directory, keyed by a city-level code (<see cref="NameDirectoryShards"/>). Subject
/// grains report their name when it changes; the names are written behind one row per subject
/// (<see cref="PersistedEntries{TValue}"/>), and a lost write is repaired by the subject's next report after its own
/// reactivation.
/// </summary>
[GrainType("name-directory")]
public sealed class SubjectNameDirectoryGrain(IGrainEntryStore entryStore) : Grain, ISubjectNameDirectoryGrain
{
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(5);
    private PersistedEntries<NameDirectoryEntry> _names = null!;
    private IGrainTimer? _timer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _names = new PersistedEntries<NameDirectoryEntry>(entryStore, "name-directory", this.GetPrimaryKeyString());
        await _names.LoadAsync(cancellationToken);
        _timer = this.RegisterGrainTimer(_names.WriteChangesAsync, new GrainTimerCreationOptions(SnapshotInterval, SnapshotInterval) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await _names.WriteChangesAsync(cancellationToken);
    }

    public Task RegisterAsync(NameDirectoryEntry entry)
    {
        if (!_names.Entries.TryGetValue(entry.SubjectId, out var previous) || previous != entry)
        {
            _names.Set(entry.SubjectId, entry);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NameDirectoryEntry>> SearchAsync(string fragment, int limit) =>
        Task.FromResult(NameSearch.Find(_names.Entries.Values, fragment, limit));
}
