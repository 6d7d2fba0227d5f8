using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Subjects;

/// <summary>
/// A subject's live evaluation as the read API shows it (<c>GET /api/v1/enterprises/{uscc}</c>). It lives beside the
/// grain contract because the subject grain renders it once per change as a <see cref="SubjectDocument"/>.
/// </summary>
public sealed record SubjectResponse(
    string Uscc,
    SubjectType SubjectType,
    int Score,
    double Score100,
    CreditGrade Grade,
    SupervisionTier Tier,
    DimensionScores Dimensions,
    bool SeriouslyDishonest,
    IReadOnlyList<IntegrityWarning> ActiveWarnings,
    long LastAppliedSequence,
    DateTimeOffset AsOf,
    string RulesVersion,
    string? DivisionCode,
    string? SubjectName)
{
    public static SubjectResponse From(SubjectView v) => new(
        v.SubjectId,
        v.SubjectType,
        v.Score,
        v.Score / 10.0,
        v.Grade,
        v.Tier,
        v.Dimensions,
        v.SeriouslyDishonest,
        v.ActiveWarnings,
        v.LastAppliedSequence,
        v.AsOf,
        v.RulesVersion,
        v.DivisionCode,
        v.SubjectName);
}
