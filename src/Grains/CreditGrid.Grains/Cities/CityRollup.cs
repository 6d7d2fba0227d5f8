using CreditGrid.Grains;
using System.Collections.Concurrent;
using CreditGrid.Domain.Reference;
using CreditGrid.Grains.Subjects;

namespace CreditGrid.Grains.Cities;

/// <summary>
/// Sends a subject's summary to the city grains it counts in: its county-level unit and the city-level peer above
/// it (Yangling counts once, as itself). Subjects registered outside Shaanxi's cities and counties roll up nowhere.
/// </summary>
public sealed class CityRollup
{
    private readonly ConcurrentDictionary<string, string[]> _targets = new(StringComparer.Ordinal);

    public IReadOnlyList<string> TargetsFor(string? divisionCode) =>
        divisionCode is null ? [] : _targets.GetOrAdd(divisionCode, ResolveTargets);

    /// <summary>The city-level peer (a prefecture city or Yangling) a subject registered there counts in.</summary>
    public string? CityLevelCodeOf(string? divisionCode) =>
        divisionCode is null ? null : AdministrativeDivisions.CityLevelOf(divisionCode)?.Code;

    public void Report(IGrainFactory grains, string? divisionCode, SubjectSummary summary)
    {
        foreach (var code in TargetsFor(divisionCode))
        {
            // One-way: the fold never waits on an aggregate.
            _ = grains.Reference<ICityGrain>(code).ReportAsync(summary);
        }
    }

    private static string[] ResolveTargets(string code)
    {
        var division = AdministrativeDivisions.Find(code);
        if (division is null || division.Level == DivisionLevel.Province)
        {
            return [];
        }

        var cityLevel = AdministrativeDivisions.CityLevelOf(code);
        return new[] { division.Code, cityLevel?.Code }
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}
