using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CreditGrid.Storage.PreCredit;

/// <summary>The single-process twin: decisions live as long as the process.</summary>
public sealed class InMemoryPreCreditDecisionStore : IPreCreditDecisionStore
{
    private readonly ConcurrentDictionary<Guid, StoredDecision> _decisions = new();
    private readonly ConcurrentDictionary<Guid, List<StoredOutcome>> _outcomes = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _registered = new(StringComparer.Ordinal);

    public Task SaveAsync(StoredDecision decision, CancellationToken cancellationToken = default)
    {
        _decisions[decision.Id] = decision;
        return Task.CompletedTask;
    }

    public Task<StoredDecision?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_decisions.GetValueOrDefault(id));

    public Task<bool> AddOutcomeAsync(StoredOutcome outcome, CancellationToken cancellationToken = default)
    {
        if (!_decisions.ContainsKey(outcome.DecisionId))
        {
            return Task.FromResult(false);
        }

        var list = _outcomes.GetOrAdd(outcome.DecisionId, _ => []);
        lock (list)
        {
            list.Add(outcome);
        }

        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<StoredOutcome>> GetOutcomesAsync(Guid decisionId, CancellationToken cancellationToken = default)
    {
        if (!_outcomes.TryGetValue(decisionId, out var list))
        {
            return Task.FromResult<IReadOnlyList<StoredOutcome>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<StoredOutcome>>([.. list]);
        }
    }

    public Task RegisterEnterpriseAsync(string enterprise, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        _registered.TryAdd(enterprise, at);
        return Task.CompletedTask;
    }

    public async Task<PlatformFigures> GetFiguresAsync(CancellationToken cancellationToken = default)
    {
        long loans = 0;
        var amount = 0m;
        foreach (var id in _outcomes.Keys)
        {
            var granted = (await GetOutcomesAsync(id, cancellationToken)).LastOrDefault(o => o.Status == OutcomeStatuses.Granted);
            if (granted is not null)
            {
                loans++;
                amount += granted.Amount ?? 0m;
            }
        }

        return new PlatformFigures(_registered.Count, loans, amount);
    }

    public async IAsyncEnumerable<DecisionWithOutcome> ExportAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var decision in _decisions.Values.OrderBy(d => d.DecidedAt))
        {
            var outcomes = await GetOutcomesAsync(decision.Id, cancellationToken);
            if (outcomes.Count > 0)
            {
                yield return new DecisionWithOutcome(decision, outcomes[^1]);
            }
        }
    }
}
