using CreditGrid.Grains.Time;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Rules;

/// <summary>
/// The register of activated rules versions. The state is written before an activation is answered, so an
/// acknowledged activation survives a crash; silos poll <see cref="GetActiveAsync"/> and this silo switches at once.
/// </summary>
[GrainType("rules")]
public sealed class RulesGrain(
    [PersistentState("rules", CreditStorage.StateStorageName)] IPersistentState<RulesRegisterState> state,
    ActiveRules active,
    GridClock time) : Grain, IRulesGrain
{
    public Task<RulesActivation?> GetActiveAsync() => Task.FromResult(state.State.Activations.LastOrDefault());

    public Task<IReadOnlyList<RulesActivation>> GetHistoryAsync() =>
        Task.FromResult<IReadOnlyList<RulesActivation>>(state.State.Activations.Select(a => a with { Json = null }).ToList());

    public async Task<RulesActivationResult> ActivateAsync(string json, string activatedBy)
    {
        var parsed = CreditRules.Parse(json);
        if (parsed.Rules is not { } rules)
        {
            return new(RulesActivationOutcome.Invalid, state.State.Activations.LastOrDefault(), parsed.Errors.Select(e => new RulesProblem(e.Path, e.Message)).ToList());
        }

        var hash = StartupRules.Hash(json);
        var current = state.State.Activations.LastOrDefault();
        if (current is not null ? current.Version == rules.Version && current.Sha256 == hash : rules.Version == active.Startup.Rules.Version && hash == active.Startup.Sha256)
        {
            return new(RulesActivationOutcome.AlreadyActive, current, []);
        }

        // A version name identifies one file for good: evaluations carry only the name.
        var reused = state.State.Activations.Any(a => a.Version == rules.Version && a.Sha256 != hash)
            || (rules.Version == active.Startup.Rules.Version && hash != active.Startup.Sha256);
        if (reused)
        {
            return new(
                RulesActivationOutcome.VersionReused,
                current,
                [new RulesProblem("version", $"Version '{rules.Version}' already names a different rules file; give the change a new version.")]);
        }

        var activation = new RulesActivation(rules.Version, hash, time.GetUtcNow(), activatedBy, json);
        state.State.Activations.Add(activation);
        await state.WriteStateAsync();
        active.Use(rules);
        return new(RulesActivationOutcome.Activated, activation with { Json = null }, []);
    }
}
