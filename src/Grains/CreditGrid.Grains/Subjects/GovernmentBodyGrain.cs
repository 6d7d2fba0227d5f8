using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Streaming;
using CreditGrid.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.Subjects;

/// <summary>A government organ (机关) or public institution (事业单位), keyed by USCC.</summary>
[GrainType("government-body"), ImplicitStreamSubscription(CreditStreams.GovernmentBodyNamespace)]
public sealed class GovernmentBodyGrain(
    [PersistentState("evaluation", CreditStorage.StateStorageName)] IPersistentState<SubjectSnapshot> snapshot,
    ICreditEventLog log,
    CreditEvaluator evaluator,
    CityRollup rollup,
    TimeProvider time,
    IOptions<SubjectGrainOptions> options,
    ILogger<GovernmentBodyGrain> logger)
    : SubjectGrain(snapshot, log, evaluator, rollup, time, options, logger), IGovernmentBodyGrain;
