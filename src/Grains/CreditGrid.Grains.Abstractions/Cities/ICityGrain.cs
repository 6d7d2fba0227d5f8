using Orleans.Concurrency;
using CreditGrid.Domain.Reference;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Subjects;

namespace CreditGrid.Grains.Cities;

/// <summary>A prefecture-level city, Yangling, or a county-level unit, keyed by its GB/T 2260 code.</summary>
[Alias("creditgrid.ICityGrain")]
public interface ICityGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subjects counted here report their latest tier and score, gathered by their silo; the latest report per subject
    /// wins, so a report that arrives again changes nothing.
    /// </summary>
    [OneWay, Alias("ReportMany")]
    Task ReportManyAsync(IReadOnlyList<SubjectSummary> summaries);

    [Alias("GetView")]
    Task<CityView> GetViewAsync();

    /// <summary>
    /// Wakes every subject registered in this unit whose scheduled time change is due, so expiries, decay and
    /// time-triggered warnings happen on schedule even for subjects nobody touches. Runs on a timer and a reminder;
    /// callable directly. Returns how many subjects were woken.
    /// </summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();

    /// <summary>Starts re-evaluating every subject counted here under the active rules version, in the background.</summary>
    [Alias("StartReevaluation")]
    Task<ReevaluationProgress> StartReevaluationAsync();

    /// <summary>Progress of the latest re-evaluation; null when none was started in this activation.</summary>
    [Alias("GetReevaluation")]
    Task<ReevaluationProgress?> GetReevaluationAsync();
}

/// <summary>An eager re-evaluation of a city's subjects under a rules version.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.reevaluation-progress.v1")]
public sealed record ReevaluationProgress(
    [property: Id(0)] string City,
    [property: Id(1)] string RulesVersion,
    [property: Id(2)] int Subjects,
    [property: Id(3)] int Done,
    [property: Id(4)] int Failed,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset? FinishedAt);

/// <summary>A city's live aggregates: subjects by supervision tier, mean score, share of seriously dishonest subjects.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.city-view.v1")]
public sealed record CityView(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] DivisionLevel Level,
    [property: Id(3)] string? ParentCode,
    [property: Id(4)] int Subjects,
    [property: Id(5)] int Enterprises,
    [property: Id(6)] int GovernmentBodies,
    [property: Id(7)] IReadOnlyDictionary<SupervisionTier, int> SubjectsByTier,
    [property: Id(8)] double AverageScore,
    [property: Id(9)] double SeriouslyDishonestShare,
    [property: Id(10)] DateTimeOffset AsOf);
