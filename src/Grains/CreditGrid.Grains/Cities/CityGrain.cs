using CreditGrid.Domain.Reference;

namespace CreditGrid.Grains.Cities;

/// <summary>
/// A city's live credit aggregates. Reports replace the subject's previous summary, so re-reports after a
/// replay or redelivery never double-count.
/// </summary>
[GrainType("city")]
public sealed class CityGrain(
    [PersistentState("city", CreditStorage.StateStorageName)] IPersistentState<CityState> state,
    TimeProvider time) : Grain, ICityGrain
{
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(5);
    private readonly CityAggregate _aggregate = new();
    private Division _division = null!;
    private bool _dirty;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _division = AdministrativeDivisions.Find(this.GetPrimaryKeyString())
            ?? throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a Shaanxi division code.");
        foreach (var summary in state.State.Subjects.Values)
        {
            _aggregate.Add(summary);
        }

        _timer = this.RegisterGrainTimer(WriteIfDirtyAsync, new GrainTimerCreationOptions(SnapshotInterval, SnapshotInterval) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await WriteIfDirtyAsync(cancellationToken);
    }

    public Task ReportAsync(Subjects.SubjectSummary summary)
    {
        if (state.State.Subjects.TryGetValue(summary.SubjectId, out var previous))
        {
            if (previous == summary)
            {
                return Task.CompletedTask;
            }

            _aggregate.Remove(previous);
        }

        state.State.Subjects[summary.SubjectId] = summary;
        _aggregate.Add(summary);
        _dirty = true;
        return Task.CompletedTask;
    }

    public Task<CityView> GetViewAsync() => Task.FromResult(new CityView(
        _division.Code,
        _division.Name,
        _division.Level,
        _division.ParentCode,
        _aggregate.Count,
        _aggregate.Count - _aggregate.GovernmentBodies,
        _aggregate.GovernmentBodies,
        _aggregate.ByTier(),
        _aggregate.AverageScore,
        _aggregate.SeriouslyDishonestShare,
        time.GetUtcNow()));

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
