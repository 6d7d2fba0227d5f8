namespace CreditGrid.Grains.Directory;

/// <summary>
/// Contains-match over names with a bounded result: exact names first, then names that start with the fragment,
/// then the rest, shorter names before longer ones. A scan is linear in the shard's size; only the best
/// <c>limit</c> matches are ever held, so a two-character fragment that matches half a city costs no sort of it.
/// The gateway merges shard answers with the same function, so the order is one order everywhere.
/// </summary>
public static class NameSearch
{
    public static IReadOnlyList<NameDirectoryEntry> Find(IEnumerable<NameDirectoryEntry> entries, string fragment, int limit)
    {
        if (limit <= 0 || fragment.Length == 0)
        {
            return [];
        }

        // A max-heap on rank keeps the worst of the current best at the top, ready to be displaced.
        var best = new PriorityQueue<NameDirectoryEntry, MatchRank>(limit + 1, Comparer<MatchRank>.Create((a, b) => b.CompareTo(a)));
        foreach (var entry in entries)
        {
            var at = entry.Name.IndexOf(fragment, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                continue;
            }

            var rank = new MatchRank(entry.Name.Length == fragment.Length ? 0 : at == 0 ? 1 : 2, entry.Name.Length, entry.Name, entry.SubjectId);
            if (best.Count < limit)
            {
                best.Enqueue(entry, rank);
            }
            else if (best.TryPeek(out _, out var worst) && rank.CompareTo(worst) < 0)
            {
                best.EnqueueDequeue(entry, rank);
            }
        }

        return Order(best.UnorderedItems.Select(i => (i.Element, i.Priority)));
    }

    private static NameDirectoryEntry[] Order(IEnumerable<(NameDirectoryEntry Entry, MatchRank Rank)> matches) =>
        [.. matches.OrderBy(m => m.Rank).Select(m => m.Entry)];

    private readonly record struct MatchRank(int Kind, int Length, string Name, string SubjectId) : IComparable<MatchRank>
    {
        public int CompareTo(MatchRank other)
        {
            var c = Kind.CompareTo(other.Kind);
            c = c != 0 ? c : Length.CompareTo(other.Length);
            c = c != 0 ? c : string.CompareOrdinal(Name, other.Name);
            return c != 0 ? c : string.CompareOrdinal(SubjectId, other.SubjectId);
        }
    }
}
