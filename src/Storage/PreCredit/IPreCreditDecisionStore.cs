namespace CreditGrid.Storage.PreCredit;

/// <summary>
/// The audit of pre-credit decisions: every decision a bank received, with its inputs and outputs, the outcomes the
/// banks report back, and the enterprises registered on the platform. <see cref="SaveAsync"/> completes only once
/// the decision is durable, so a decision is never handed to a bank that the store could lose.
/// </summary>
public interface IPreCreditDecisionStore
{
    /// <summary>Stores a decision; completes when it is durable.</summary>
    Task SaveAsync(DecisionToStore decision, CancellationToken cancellationToken = default);

    /// <summary>A stored decision, or null.</summary>
    Task<StoredDecision?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Records an outcome; false when no such decision exists.</summary>
    Task<bool> AddOutcomeAsync(StoredOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>Every outcome of a decision, oldest first.</summary>
    Task<IReadOnlyList<StoredOutcome>> GetOutcomesAsync(Guid decisionId, CancellationToken cancellationToken = default);

    /// <summary>Counts an enterprise as registered on the platform (idempotent).</summary>
    Task RegisterEnterpriseAsync(string enterprise, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Platform totals: registered enterprises, loans granted and their amount.</summary>
    Task<PlatformFigures> GetFiguresAsync(CancellationToken cancellationToken = default);

    /// <summary>Decisions with their latest outcome, for the next training set; decisions without an outcome are left out.</summary>
    IAsyncEnumerable<DecisionWithOutcome> ExportAsync(CancellationToken cancellationToken = default);
}

/// <summary>A decision as stored: the keys an auditor searches by, and the full decision as JSON.</summary>
/// <param name="Id">Decision id.</param>
/// <param name="Bank">USCC of the requesting bank.</param>
/// <param name="Enterprise">USCC of the enterprise.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="Outcome">APPROVE_INDICATIVE, REFER or REJECT.</param>
/// <param name="ModelVersion">Version of the model whose PD the decision used.</param>
/// <param name="Document">The whole decision (inputs, versions, outputs, reasons) as JSON.</param>
public sealed record StoredDecision(Guid Id, string Bank, string Enterprise, DateTimeOffset DecidedAt, string Outcome, string ModelVersion, string Document);

/// <summary>A decision to store: the keys an auditor searches by, and the full decision as UTF-8 JSON.</summary>
/// <param name="Id">Decision id.</param>
/// <param name="Bank">USCC of the requesting bank.</param>
/// <param name="Enterprise">USCC of the enterprise.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="Outcome">APPROVE_INDICATIVE, REFER or REJECT.</param>
/// <param name="ModelVersion">Version of the model whose PD the decision used.</param>
/// <param name="Document">
/// The whole decision as UTF-8 JSON: the bytes the bank receives, kept as bytes because the desk serialises once and a
/// round trip through a string cost a copy twice the document's size on every decision. Not to be changed once saved.
/// </param>
public sealed record DecisionToStore(Guid Id, string Bank, string Enterprise, DateTimeOffset DecidedAt, string Outcome, string ModelVersion, ReadOnlyMemory<byte> Document);

/// <summary>Saving a decision whose document is held as text.</summary>
public static class PreCreditDecisionStoreExtensions
{
    /// <summary>Stores <paramref name="decision"/> with its document encoded as UTF-8; completes when it is durable.</summary>
    public static Task SaveAsync(this IPreCreditDecisionStore store, StoredDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decision);
        return store.SaveAsync(
            new DecisionToStore(decision.Id, decision.Bank, decision.Enterprise, decision.DecidedAt, decision.Outcome, decision.ModelVersion, System.Text.Encoding.UTF8.GetBytes(decision.Document)),
            cancellationToken);
    }
}

/// <summary>What a bank reported about the loan after a decision.</summary>
/// <param name="DecisionId">The decision it follows.</param>
/// <param name="ReportedAt">When it was reported.</param>
/// <param name="Status">granted, repaid, overdue or defaulted.</param>
/// <param name="Amount">Granted amount in yuan (for granted).</param>
public sealed record StoredOutcome(Guid DecisionId, DateTimeOffset ReportedAt, string Status, decimal? Amount);

/// <summary>A decision joined to the latest outcome reported for it.</summary>
public sealed record DecisionWithOutcome(StoredDecision Decision, StoredOutcome Outcome);

/// <summary>Platform totals.</summary>
/// <param name="RegisteredEnterprises">Enterprises that authorised at least one bank.</param>
/// <param name="LoansGranted">Decisions with a granted outcome.</param>
/// <param name="AmountGranted">Sum of the granted amounts, yuan.</param>
public sealed record PlatformFigures(long RegisteredEnterprises, long LoansGranted, decimal AmountGranted);

/// <summary>Outcome statuses a bank may report.</summary>
public static class OutcomeStatuses
{
    public const string Granted = "granted";
    public const string Repaid = "repaid";
    public const string Overdue = "overdue";
    public const string Defaulted = "defaulted";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Granted, Repaid, Overdue, Defaulted };
}
