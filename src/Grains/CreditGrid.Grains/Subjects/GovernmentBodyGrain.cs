using CreditGrid.Grains.Time;
using CreditGrid.Grains.Rules;
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
    ActiveRules rules,
    CityRollup rollup,
    GridClock time,
    SubjectDocumentBoard board,
    IOptions<SubjectGrainOptions> options,
    ILogger<GovernmentBodyGrain> logger)
    : SubjectGrain(snapshot, log, rules, rollup, time, board, options, logger), IGovernmentBodyGrain;
