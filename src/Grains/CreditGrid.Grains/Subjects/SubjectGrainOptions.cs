namespace CreditGrid.Grains.Subjects;

/// <summary>Subject-grain tuning (configuration section <c>CreditGrid:Subjects</c>).</summary>
public sealed class SubjectGrainOptions
{
    public const string Section = "CreditGrid:Subjects";

    /// <summary>How long folded events may stay unsnapshotted; the log makes a lost snapshot a replay, never a loss.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Records read from the log per round trip while catching up.</summary>
    public int CatchUpBatchSize { get; set; } = 500;
}
