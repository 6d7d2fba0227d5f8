using CreditGrid.Domain.Events;
using CreditGrid.Storage;

namespace CreditGrid.Gateway.Public;

/// <summary>A subject's whole history from the credit-event log, the system of record.</summary>
public static class SubjectHistory
{
    private const int PageSize = 1000;

    public static async Task<IReadOnlyList<CreditEvent>> ReadAsync(ICreditEventLog log, string subjectId, CancellationToken cancellationToken)
    {
        var events = new List<CreditEvent>();
        var after = 0L;
        while (true)
        {
            var page = await log.ReadSubjectAsync(subjectId, after, PageSize, cancellationToken);
            events.AddRange(page.Select(p => p.Event));
            if (page.Count < PageSize)
            {
                return events;
            }

            after = page[^1].SubjectSequence;
        }
    }

    /// <summary>The latest name the subject's records carry.</summary>
    public static string? LatestName(IReadOnlyList<CreditEvent> history) => history.LastOrDefault(e => e.SubjectName is not null)?.SubjectName;
}
