using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Subjects;

namespace CreditGrid.Grains.Cities;

/// <summary>Running totals over a city's subject summaries, so a report and a read are both O(1).</summary>
internal sealed class CityAggregate
{
    private readonly int[] _byTier = new int[Enum.GetValues<SupervisionTier>().Length];
    private long _scoreSum;
    private int _dishonest;
    private int _governmentBodies;

    public int Count { get; private set; }

    public void Add(SubjectSummary s) => Apply(s, +1);

    public void Remove(SubjectSummary s) => Apply(s, -1);

    public IReadOnlyDictionary<SupervisionTier, int> ByTier() =>
        Enum.GetValues<SupervisionTier>().ToDictionary(t => t, t => _byTier[(int)t]);

    public double AverageScore => Count == 0 ? 0 : Math.Round((double)_scoreSum / Count, 1);

    public double SeriouslyDishonestShare => Count == 0 ? 0 : Math.Round((double)_dishonest / Count, 4);

    public int GovernmentBodies => _governmentBodies;

    private void Apply(SubjectSummary s, int sign)
    {
        Count += sign;
        _byTier[(int)s.Tier] += sign;
        _scoreSum += sign * s.Score;
        _dishonest += s.SeriouslyDishonest ? sign : 0;
        _governmentBodies += s.SubjectType == SubjectType.GovernmentBody ? sign : 0;
    }
}
