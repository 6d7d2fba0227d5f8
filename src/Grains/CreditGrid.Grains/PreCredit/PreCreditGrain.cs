using System.Globalization;
using System.Text.Json;
using CreditGrid.Storage.PreCredit;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// The pre-credit desk's worker, which every gateway asks for decisions. Stateless: the consent and subject grains hold
/// the facts, the pooled models the scoring, the decision store the audit; the decision itself is the silo's
/// <see cref="PreCreditDesk"/>, shared by the worker's activations. Reentrant because it holds no state: a
/// non-reentrant worker would sit idle while it awaits the consent and subject grains and the store, capping a silo at
/// (cores ÷ one decision's wall time) decisions per second.
/// </summary>
[StatelessWorker, Reentrant, GrainType("precredit-desk")]
public sealed class PreCreditGrain(
    PreCreditDesk desk,
    FeatureDriftMonitor drift,
    IPreCreditDecisionStore store,
    IOptions<PreCreditOptions> options) : Grain, IPreCreditGrain
{
    /// <summary>The serializer of stored decision documents; the same shape the HTTP API returns.</summary>
    public static JsonSerializerOptions DocumentOptions => DecisionDocument.TypeInfo.Options;

    /// <inheritdoc cref="PreCreditDesk.DecideAsync"/>
    public Task<PreCreditAnswer> DecideAsync(PreCreditRequest request) => desk.DecideAsync(request);

    public async Task<PreCreditDecisionView?> GetDecisionAsync(Guid id) =>
        await store.GetAsync(id) is { } stored ? JsonSerializer.Deserialize(stored.Document, DecisionDocument.TypeInfo) : null;

    public Task<bool> ReportOutcomeAsync(Guid id, LoanOutcomeReport report) =>
        store.AddOutcomeAsync(new StoredOutcome(id, report.ReportedAt, report.Status, report.Amount));

    public async Task<PreCreditFigures> GetFiguresAsync()
    {
        var figures = await store.GetFiguresAsync();
        var settings = options.Value;
        return new PreCreditFigures(figures.RegisteredEnterprises, figures.LoansGranted, figures.AmountGranted, settings.TargetEnterprises, settings.TargetAmount);
    }

    public Task<DriftReport> GetDriftAsync() => Task.FromResult(drift.Report());

    public async Task<string> ExportTrainingSetAsync()
    {
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        await TrainingSetExport.WriteAsync(store.ExportAsync(), csv);
        return csv.ToString();
    }
}
