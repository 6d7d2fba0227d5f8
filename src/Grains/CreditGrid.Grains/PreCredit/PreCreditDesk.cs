using System.Diagnostics;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Grains.Subjects;
using CreditGrid.Grains.Telemetry;
using CreditGrid.Storage.PreCredit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// One pre-credit decision: consent and features from the enterprise's grains, the pooled models' scores, the pure
/// policy, the audit record stored (durably, see the store) before the answer is returned. Holds no state of its own,
/// so one instance per silo serves every activation of the stateless worker desk grain (<see cref="PreCreditGrain"/>),
/// which is how gateways reach it. In the single-process grid the consent and the features are read from what those
/// grains posted on the silo's boards (<see cref="ConsentBoard"/>, <see cref="SubjectDocumentBoard"/>) while the
/// posting stands, and asked of the grains otherwise.
/// </summary>
public sealed partial class PreCreditDesk(
    IGrainFactory grains,
    ConsentBoard consents,
    SubjectDocumentBoard subjects,
    PreCreditModels models,
    FeatureDriftMonitor drift,
    IPreCreditDecisionStore store,
    IOptions<PreCreditOptions> options,
    TimeProvider time,
    ILogger<PreCreditDesk> logger)
{
    /// <summary>Decides one request (DOMAIN §9) and stores it before answering.</summary>
    public async Task<PreCreditAnswer> DecideAsync(PreCreditRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        // Both asked before either is awaited: when neither is posted, the two grain calls run side by side.
        var consent = consents.IsAuthorised(request.Enterprise, request.Bank, now) is { } posted
            ? new ValueTask<bool>(posted)
            : new ValueTask<bool>(grains.Reference<IConsentGrain>(request.Enterprise).IsAuthorisedAsync(request.Bank, now));
        var source = subjects.ReadPreCreditFeatures(request.Enterprise) is { } known
            ? new ValueTask<PreCreditFeatures?>(known)
            : new ValueTask<PreCreditFeatures?>(grains.As<IPreCreditFeatureSource>(grains.Reference<IEnterpriseGrain>(request.Enterprise)).GetPreCreditFeaturesAsync());
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
        var (score, pd) = DecisionComposer.Score(model, input);
        CreditGridMetrics.RecordModelLatency(model.Version, scoring);
        var decision = PreCreditDecider.Decide(features, pd, settings.Policy);
        var (adverse, positive) = DecisionComposer.Factors(model, input, score);
        var view = new PreCreditDecisionView(
            RandomGuids.NewVersion7(now),
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

    private ShadowScore? Shadow(PreCreditFeatures features, float[] vector, PreCreditOptions settings)
    {
        if (models.Challenger is not { } challenger)
        {
            return null;
        }

        try
        {
            var input = DecisionComposer.ModelInput(challenger, vector);
            var (_, pd) = DecisionComposer.Score(challenger, input);
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
