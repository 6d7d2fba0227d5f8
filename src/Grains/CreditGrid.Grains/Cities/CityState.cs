using CreditGrid.Grains.Subjects;

namespace CreditGrid.Grains.Cities;

/// <summary>The latest summary of every subject that counts in a city.</summary>
[GenerateSerializer, Alias("creditgrid.city-state.v1")]
public sealed class CityState
{
    [Id(0)]
    public Dictionary<string, SubjectSummary> Subjects { get; set; } = new(StringComparer.Ordinal);
}
