using CreditGrid.Grains.Time;
using CreditGrid.Grains.Rules;
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
    ActiveRules rules,
    CityRollup rollup,
    GridClock time,
    SubjectDocumentBoard board,
    IOptions<SubjectGrainOptions> options,
    ILogger<EnterpriseGrain> logger)
    : SubjectGrain(snapshot, log, rules, rollup, time, board, options, logger), IEnterpriseGrain;
