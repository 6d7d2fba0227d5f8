namespace CreditGrid.Grains.Subjects;

/// <summary>Subject-grain tuning (configuration section <c>CreditGrid:Subjects</c>).</summary>
public sealed class SubjectGrainOptions
{
    public const string Section = "CreditGrid:Subjects";

    /// <summary>
    /// How long folded events may stay unsnapshotted; the log makes a lost snapshot a replay, never a loss. A subject
    /// whose records keep arriving writes its whole state once per interval, so a short interval multiplies the state
    /// writes (at 2 s, a province's ingest wrote about one snapshot per event) while a long one only lengthens the
    /// replay of one subject's latest records after a crash.
    /// </summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Records read from the log per round trip while catching up.</summary>
    public int CatchUpBatchSize { get; set; } = 500;
}
