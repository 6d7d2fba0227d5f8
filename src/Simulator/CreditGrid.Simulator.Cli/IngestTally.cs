namespace CreditGrid.Simulator.Cli;

/// <summary>Running totals of what the gateway answered, and the first few rejections to show.</summary>
public sealed class IngestTally
{
    private const int RejectionsKept = 5;
    private readonly List<RecordAnswer> _rejections = [];

    public long Posted { get; private set; }

    public long Accepted { get; private set; }

    public long Duplicates { get; private set; }

    public long Rejected { get; private set; }

    public int Batches { get; private set; }

    /// <summary>The first rejections seen; simulated records should never be rejected, so these point at a bug.</summary>
    public IReadOnlyList<RecordAnswer> FirstRejections => _rejections;

    public void Add(int posted, BatchAnswer answer)
    {
        Batches++;
        Posted += posted;
        Accepted += answer.Accepted;
        Duplicates += answer.Duplicates;
        Rejected += answer.Rejected;
        foreach (var result in answer.Results)
        {
            if (_rejections.Count < RejectionsKept && result.Status == "rejected")
            {
                _rejections.Add(result);
            }
        }
    }
}
