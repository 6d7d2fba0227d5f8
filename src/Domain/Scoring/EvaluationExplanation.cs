using System.Collections.Immutable;

namespace CreditGrid.Domain.Scoring;

/// <summary>Why a subject has its score and grade: the records that move it, and the caps on the grade.</summary>
/// <param name="BandGrade">The grade the score alone earns.</param>
/// <param name="Grade">The grade after one-vote-veto caps.</param>
/// <param name="Reasons">Records with a non-zero effect, largest absolute effect first.</param>
/// <param name="Caps">Records that hold the grade down, the strictest first.</param>
public sealed record EvaluationExplanation(
    string SubjectId,
    int Score,
    CreditGrade BandGrade,
    CreditGrade Grade,
    string RulesVersion,
    ImmutableArray<ScoreReason> Reasons,
    ImmutableArray<GradeCapReason> Caps);

/// <summary>One record's contribution: its dimension, its points now (before per-kind caps) and when it stops.</summary>
/// <param name="EffectEnds">Null while the record lasts until a later record ends it.</param>
public sealed record ScoreReason(
    string RecordId,
    string EventType,
    string Variant,
    Dimension Dimension,
    double PointsNow,
    DateOnly? EffectEnds,
    bool UnresolvedAfterMax);

/// <summary>A grade cap in force (D is a forced D) and the day it is due to lift, if known.</summary>
public sealed record GradeCapReason(string RecordId, string EventType, CreditGrade Cap, DateOnly? Until);
