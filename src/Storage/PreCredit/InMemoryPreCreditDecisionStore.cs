using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using CreditGrid.Storage.InMemory;

namespace CreditGrid.Storage.PreCredit;

/// <summary>The single-process twin: decisions live as long as the process.</summary>
/// <remarks>
/// Each decision's document (a few kilobytes of JSON) is kept as UTF-8 in <see cref="PackedSegments"/>, not as a
/// string: thousands of decisions a second held as strings grew the oldest heap generation by hundreds of megabytes a
/// minute and the collections that copied them paused the process for seconds. Its keys (bank, enterprise, outcome,
/// model version) are packed beside it, and the index holds only where they are: a table of plain structs, which the
/// collector never walks, rather than three small objects per decision kept for the life of the process. The store is
/// split into shards by decision id, each with its own lock, segments and index: one index of every decision had to be
/// rehashed whole each time it doubled (hundreds of thousands of entries, under the lock every decision waits for).
/// </remarks>
public sealed class InMemoryPreCreditDecisionStore : IPreCreditDecisionStore, IDisposable
{
    private const int ShardCount = 32;
    private readonly Shard[] _shards = [.. Enumerable.Range(0, ShardCount).Select(_ => new Shard())];
    private readonly ConcurrentDictionary<Guid, List<StoredOutcome>> _outcomes = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _registered = new(StringComparer.Ordinal);

    public Task SaveAsync(DecisionToStore decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var document = decision.Document.Span;
        var (bank, enterprise, outcome, model) = (Length(decision.Bank), Length(decision.Enterprise), Length(decision.Outcome), Length(decision.ModelVersion));
        var shard = ShardOf(decision.Id);
        lock (shard.Gate)
        {
            var space = shard.Documents.Reserve(bank + enterprise + outcome + model + document.Length, out var location);
            var at = Encoding.UTF8.GetBytes(decision.Bank, space);
            at += Encoding.UTF8.GetBytes(decision.Enterprise, space[at..]);
            at += Encoding.UTF8.GetBytes(decision.Outcome, space[at..]);
            at += Encoding.UTF8.GetBytes(decision.ModelVersion, space[at..]);
            document.CopyTo(space[at..]);
            shard.Decisions[decision.Id] = new Kept(location, bank, enterprise, outcome, model, document.Length, decision.DecidedAt.Ticks, (short)decision.DecidedAt.Offset.TotalMinutes);
        }

        return Task.CompletedTask;
    }

    public Task<StoredDecision?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var shard = ShardOf(id);
        lock (shard.Gate)
        {
            return Task.FromResult(shard.Decisions.TryGetValue(id, out var kept) ? shard.Restore(id, kept) : null);
        }
    }

    public Task<bool> AddOutcomeAsync(StoredOutcome outcome, CancellationToken cancellationToken = default)
    {
        bool known;
        var shard = ShardOf(outcome.DecisionId);
        lock (shard.Gate)
        {
            known = shard.Decisions.ContainsKey(outcome.DecisionId);
        }

        if (!known)
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
        var decisions = new List<(Shard Shard, Guid Id, Kept Kept)>();
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                decisions.AddRange(shard.Decisions.Select(d => (shard, d.Key, d.Value)));
            }
        }

        foreach (var (shard, id, kept) in decisions.OrderBy(d => d.Kept.DecidedAt))
        {
            var outcomes = await GetOutcomesAsync(id, cancellationToken);
            if (outcomes.Count > 0)
            {
                StoredDecision decision;
                lock (shard.Gate)
                {
                    decision = shard.Restore(id, kept);
                }

                yield return new DecisionWithOutcome(decision, outcomes[^1]);
            }
        }
    }

    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                shard.Documents.Dispose();
            }
        }
    }

    private static int Length(string text) => Encoding.UTF8.GetByteCount(text);

    private Shard ShardOf(Guid id) => _shards[(id.GetHashCode() & int.MaxValue) % ShardCount];

    /// <summary>Where a decision's keys and document are, their lengths in UTF-8 bytes in that order, and when it was decided.</summary>
    private readonly record struct Kept(
        long Location, int BankBytes, int EnterpriseBytes, int OutcomeBytes, int ModelVersionBytes, int DocumentBytes, long DecidedAtTicks, short OffsetMinutes)
    {
        public DateTimeOffset DecidedAt => new(DecidedAtTicks, TimeSpan.FromMinutes(OffsetMinutes));
    }

    /// <summary>The decisions whose ids fall in one shard; every member is used under <see cref="Gate"/>.</summary>
    private sealed class Shard
    {
        public Lock Gate { get; } = new();

        public PackedSegments Documents { get; } = new();

        public Dictionary<Guid, Kept> Decisions { get; } = [];

        /// <summary>The decision as it was saved; the caller holds the lock (a segment is read while appends may go on).</summary>
        public StoredDecision Restore(Guid id, Kept kept)
        {
            var bytes = Documents.Read(kept.Location, kept.BankBytes + kept.EnterpriseBytes + kept.OutcomeBytes + kept.ModelVersionBytes + kept.DocumentBytes);
            var bank = Encoding.UTF8.GetString(bytes[..kept.BankBytes]);
            bytes = bytes[kept.BankBytes..];
            var enterprise = Encoding.UTF8.GetString(bytes[..kept.EnterpriseBytes]);
            bytes = bytes[kept.EnterpriseBytes..];
            var outcome = Encoding.UTF8.GetString(bytes[..kept.OutcomeBytes]);
            bytes = bytes[kept.OutcomeBytes..];
            var model = Encoding.UTF8.GetString(bytes[..kept.ModelVersionBytes]);
            var document = Encoding.UTF8.GetString(bytes[kept.ModelVersionBytes..]);
            return new StoredDecision(id, bank, enterprise, kept.DecidedAt, outcome, model, document);
        }
    }
}
