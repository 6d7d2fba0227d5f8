using CreditGrid.Grains;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Grains.Subjects;
using CreditGrid.Grains.Telemetry;
using CreditGrid.Storage.PreCredit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// The pre-credit desk's worker. Stateless: the consent and subject grains hold the facts, the pooled models the
/// scoring, the decision store the audit. A decision is stored (durably, see the store) before it is returned.
/// Reentrant because it holds no state: a non-reentrant worker would sit idle while it awaits the consent and
/// subject grains and the store, capping a silo at (cores ÷ one decision's wall time) decisions per second.
/// </summary>
[StatelessWorker, Reentrant, GrainType("precredit-desk")]
public sealed partial class PreCreditGrain(
    PreCreditModels models,
    FeatureDriftMonitor drift,
    IPreCreditDecisionStore store,
    IOptions<PreCreditOptions> options,
    TimeProvider time,
    ILogger<PreCreditGrain> logger) : Grain, IPreCreditGrain
{
    /// <summary>The serializer of stored decision documents; the same shape the HTTP API returns.</summary>
    public static JsonSerializerOptions DocumentOptions => DecisionDocument.TypeInfo.Options;

    public async Task<PreCreditAnswer> DecideAsync(PreCreditRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var consent = GrainFactory.Reference<IConsentGrain>(request.Enterprise).IsAuthorisedAsync(request.Bank, now);
        var source = GrainFactory.As<IPreCreditFeatureSource>(GrainFactory.Reference<IEnterpriseGrain>(request.Enterprise)).GetPreCreditFeaturesAsync();
        if (!await consent)
        {
            return new PreCreditAnswer(null, PreCreditRefusal.NoAuthorisation);
        }

        if (await source is not { } features)
        {
            return new PreCreditAnswer(null, PreCreditRefusal.UnknownEnterprise);
        }

        if (models.Champion is not { } model)
        {
            return new PreCreditAnswer(null, PreCreditRefusal.ModelUnavailable);
        }

        var settings = options.Value;
        var vector = PreCreditFeatureVector.ToVector(features);
        var input = DecisionComposer.ModelInput(model, vector);
        var scoring = Stopwatch.GetTimestamp();
        var score = model.Score(input);
        var pd = DecisionComposer.Pd(model, input, score);
        CreditGridMetrics.RecordModelLatency(model.Version, scoring);
        var decision = PreCreditDecider.Decide(features, pd, settings.Policy);
        var (adverse, positive) = DecisionComposer.Factors(model, input, score);
        var view = new PreCreditDecisionView(
            Guid.CreateVersion7(now),
            request.Bank,
            request.Enterprise,
            request.Amount,
            request.Purpose,
            DecisionComposer.OutcomeCode(decision.Outcome),
            DecisionComposer.Reasons(decision.Reasons),
            decision.Limit,
            decision.RateBand is { } band ? new RateBandView(band.Band, "LPR", band.MinSpreadBp, band.MaxSpreadBp) : null,
            decision.Pd,
            adverse,
            positive,
            model.Version,
            settings.PolicyVersion,
            features.ScoringRulesVersion,
            Shadow(features, vector, settings),
            DecisionComposer.Inputs(features, vector),
            features.DataAsOf,
            now,
            now + settings.DecisionValidity);

        var json = DecisionDocument.Serialize(view);
        await store.SaveAsync(new DecisionToStore(view.Id, view.Bank, view.Enterprise, view.DecidedAt, view.Decision, view.ModelVersion, json));
        drift.Observe(model.Version, input);
        CreditGridMetrics.RecordPreCreditDecision(decision.Outcome);
        PreCreditMetrics.DecisionDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new PreCreditAnswer(view, null, json);
    }

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

    private ShadowScore? Shadow(PreCreditFeatures features, float[] vector, PreCreditOptions settings)
    {
        if (models.Challenger is not { } challenger)
        {
            return null;
        }

        try
        {
            var input = DecisionComposer.ModelInput(challenger, vector);
            var pd = DecisionComposer.Pd(challenger, input, challenger.Score(input));
            return new ShadowScore(challenger.Version, pd, DecisionComposer.OutcomeCode(PreCreditDecider.Decide(features, pd, settings.Policy).Outcome));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The challenger must never cost the bank its decision.
            LogShadowFailed(ex, challenger.Version);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Challenger model {Version} failed in shadow")]
    private partial void LogShadowFailed(Exception ex, string version);
}
