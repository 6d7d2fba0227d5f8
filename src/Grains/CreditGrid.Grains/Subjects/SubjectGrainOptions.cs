namespace CreditGrid.Grains.Subjects;

/// <summary>Subject-grain tuning (configuration section <c>CreditGrid:Subjects</c>).</summary>
public sealed class SubjectGrainOptions
{
    public const string Section = "CreditGrid:Subjects";

    /// <summary>
    /// How long a snapshot that is due may wait; the log makes a lost snapshot a replay, never a loss. A subject whose
    /// records keep arriving writes its whole state at most once per interval, so a short interval multiplies the state
    /// writes (at 2 s, a province's ingest wrote about one snapshot per event) while a long one only lengthens the
    /// replay of one subject's latest records after a crash. A warning action (which the log cannot replay) is always
    /// written within it.
    /// </summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Folded events after which a snapshot becomes due. Fewer are written only when the subject deactivates: replaying
    /// a few records from the log at the next activation (one indexed read) is cheaper than writing the whole state
    /// after every burst, which made the snapshots of a province's bulk load most of PostgreSQL's work after the last
    /// acknowledgement (about 9,000 writes for 10,300 subjects).
    /// </summary>
    public int SnapshotEvery { get; set; } = 64;

    /// <summary>Records read from the log per round trip while catching up.</summary>
    public int CatchUpBatchSize { get; set; } = 500;
}
