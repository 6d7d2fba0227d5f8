using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Subjects;

/// <summary>What a subject grain answers to a score lookup: its live evaluation, without the record details.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.subject-view.v1")]
public sealed record SubjectView(
    [property: Id(0)] string SubjectId,
    [property: Id(1)] SubjectType SubjectType,
    [property: Id(2)] int Score,
    [property: Id(3)] CreditGrade Grade,
    [property: Id(4)] SupervisionTier Tier,
    [property: Id(5)] DimensionScores Dimensions,
    [property: Id(6)] bool SeriouslyDishonest,
    [property: Id(7)] IReadOnlyList<IntegrityWarning> ActiveWarnings,
    [property: Id(8)] long LastAppliedSequence,
    [property: Id(9)] DateTimeOffset AsOf,
    [property: Id(10)] string RulesVersion,
    [property: Id(11)] string? DivisionCode,
    [property: Id(12)] string? SubjectName = null);

/// <summary>
/// What a subject reports to its city and county: enough to keep their aggregates, and the instant time alone will
/// next change its evaluation, so the unit it is registered in can wake it then (no timer per subject).
/// </summary>
[GenerateSerializer, Immutable, Alias("creditgrid.subject-summary.v1")]
public sealed record SubjectSummary(
    [property: Id(0)] string SubjectId,
    [property: Id(1)] SubjectType SubjectType,
    [property: Id(2)] SupervisionTier Tier,
    [property: Id(3)] int Score,
    [property: Id(4)] bool SeriouslyDishonest,
    [property: Id(5)] DateTimeOffset? NextChange = null);
