using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using CreditGrid.Storage.InMemory;

namespace CreditGrid.Storage.PreCredit;

/// <summary>The single-process twin: decisions live as long as the process.</summary>
/// <remarks>
/// Each decision's document (a few kilobytes of JSON) is kept as UTF-8 in <see cref="PackedSegments"/>, not as a
/// string: thousands of decisions a second held as strings grew the oldest heap generation by hundreds of megabytes a
/// minute and the collections that copied them paused the process for seconds.
/// </remarks>
public sealed class InMemoryPreCreditDecisionStore : IPreCreditDecisionStore
{
    private readonly Lock _gate = new();
    private readonly PackedSegments _documents = new();
    private readonly ConcurrentDictionary<Guid, Kept> _decisions = new();
    private readonly ConcurrentDictionary<Guid, List<StoredOutcome>> _outcomes = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _registered = new(StringComparer.Ordinal);

    public Task SaveAsync(DecisionToStore decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var document = decision.Document.Span;
        long location;
        lock (_gate)
        {
            document.CopyTo(_documents.Reserve(document.Length, out location));
        }

        _decisions[decision.Id] = new Kept(new StoredDecision(decision.Id, decision.Bank, decision.Enterprise, decision.DecidedAt, decision.Outcome, decision.ModelVersion, string.Empty), location, document.Length);
        return Task.CompletedTask;
    }

    public Task<StoredDecision?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_decisions.TryGetValue(id, out var kept) ? Restore(kept) : null);

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
        foreach (var kept in _decisions.Values.OrderBy(d => d.Decision.DecidedAt))
        {
            var outcomes = await GetOutcomesAsync(kept.Decision.Id, cancellationToken);
            if (outcomes.Count > 0)
            {
                yield return new DecisionWithOutcome(Restore(kept), outcomes[^1]);
            }
        }
    }

    private StoredDecision Restore(Kept kept)
    {
        string document;
        lock (_gate)
        {
            document = Encoding.UTF8.GetString(_documents.Read(kept.Location, kept.Length));
        }

        return kept.Decision with { Document = document };
    }

    /// <summary>A decision without its document, and where the document's bytes are.</summary>
    private sealed record Kept(StoredDecision Decision, long Location, int Length);
}
