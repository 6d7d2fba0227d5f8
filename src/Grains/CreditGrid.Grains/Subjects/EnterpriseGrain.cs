using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Streaming;
using CreditGrid.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.Subjects;

/// <summary>An enterprise, individual business or organisation, keyed by USCC.</summary>
[GrainType("enterprise"), ImplicitStreamSubscription(CreditStreams.EnterpriseNamespace)]
public sealed class EnterpriseGrain(
    [PersistentState("evaluation", CreditStorage.StateStorageName)] IPersistentState<SubjectSnapshot> snapshot,
    ICreditEventLog log,
    CreditEvaluator evaluator,
    CityRollup rollup,
    TimeProvider time,
    IOptions<SubjectGrainOptions> options,
    ILogger<EnterpriseGrain> logger)
    : SubjectGrain(snapshot, log, evaluator, rollup, time, options, logger), IEnterpriseGrain;
