namespace CreditGrid.Grains.Directory;

/// <summary>
/// A shard of the subject-name directory, keyed by a city-level code (<see cref="NameDirectoryShards"/>). Subject
/// grains report their name when it changes; the state is written behind, and a lost write is repaired by the
/// subject's next report after its own reactivation.
/// </summary>
[GrainType("name-directory")]
public sealed class SubjectNameDirectoryGrain(
    [PersistentState("names", CreditStorage.StateStorageName)] IPersistentState<NameDirectoryState> state) : Grain, ISubjectNameDirectoryGrain
{
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(5);
    private bool _dirty;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = this.RegisterGrainTimer(WriteIfDirtyAsync, new GrainTimerCreationOptions(SnapshotInterval, SnapshotInterval) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await WriteIfDirtyAsync(cancellationToken);
    }

    public Task RegisterAsync(NameDirectoryEntry entry)
    {
        if (!state.State.Subjects.TryGetValue(entry.SubjectId, out var previous) || previous != entry)
        {
            state.State.Subjects[entry.SubjectId] = entry;
            _dirty = true;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NameDirectoryEntry>> SearchAsync(string fragment, int limit) =>
        Task.FromResult(NameSearch.Find(state.State.Subjects.Values, fragment, limit));

    private async Task WriteIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        await state.WriteStateAsync(cancellationToken);
    }
}
