using CreditGrid.Grains.Subjects;

namespace CreditGrid.Grains.Cities;

/// <summary>
/// Subject summaries on their way to the city grains: the latest per unit and subject. A subject whose score moves
/// several times before the next send is sent once, with its last summary, which is all a unit keeps of it.
/// Thread-safe: every subject activation of the silo adds to it.
/// </summary>
public sealed class PendingCityReports
{
    private readonly Lock _gate = new();
    private Dictionary<string, Dictionary<string, SubjectSummary>> _byUnit = new(StringComparer.Ordinal);

    public void Add(IReadOnlyList<string> units, SubjectSummary summary)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(summary);
        lock (_gate)
        {
            foreach (var unit in units)
            {
                if (!_byUnit.TryGetValue(unit, out var summaries))
                {
                    summaries = new Dictionary<string, SubjectSummary>(StringComparer.Ordinal);
                    _byUnit.Add(unit, summaries);
                }

                summaries[summary.SubjectId] = summary;
            }
        }
    }

    /// <summary>Everything pending, per unit, leaving nothing behind.</summary>
    public IReadOnlyList<(string Unit, SubjectSummary[] Summaries)> TakeAll()
    {
        Dictionary<string, Dictionary<string, SubjectSummary>> taken;
        lock (_gate)
        {
            if (_byUnit.Count == 0)
            {
                return [];
            }

            taken = _byUnit;
            _byUnit = new Dictionary<string, Dictionary<string, SubjectSummary>>(StringComparer.Ordinal);
        }

        return [.. taken.Select(unit => (unit.Key, unit.Value.Values.ToArray()))];
    }
}
