using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Subjects;

/// <summary>
/// The persisted snapshot of a subject grain. It may lag the log (it is written behind): on activation the grain
/// replays the log after <see cref="SubjectEvaluation.LastAppliedSequence"/>.
/// </summary>
[GenerateSerializer, Alias("creditgrid.subject-snapshot.v1")]
public sealed class SubjectSnapshot
{
    [Id(0)]
    public SubjectEvaluation? Evaluation { get; set; }

    /// <summary>The latest name the subject's records carried; kept here because replay starts after the snapshot.</summary>
    [Id(1)]
    public string? SubjectName { get; set; }
}
