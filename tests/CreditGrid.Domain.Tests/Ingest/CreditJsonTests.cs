using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;

namespace CreditGrid.Domain.Tests.Ingest;

public class CreditJsonTests
{
    public static TheoryData<string> RegisteredKinds() => [.. CreditJson.EventDetailTypes.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void EveryDerivedTypeAttributeIsAKnownKind()
    {
        var registered = typeof(EventDetails).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => (string)a.TypeDiscriminator!);

        Assert.Equal(registered.Order(StringComparer.Ordinal), CreditJson.EventDetailTypes.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(EventTypes.PenaltyImposed, CreditJson.EventDetailTypes.Keys);
    }

    // Built by reflection so that kinds added to EventDetails later are covered without a new sample.
    [Theory]
    [MemberData(nameof(RegisteredKinds))]
    public void EveryRegisteredKindRoundTrips(string type)
    {
        var detailsType = CreditJson.EventDetailTypes[type];
        var details = (EventDetails)Sample(detailsType);

        var json = JsonSerializer.Serialize(details, CreditJson.Options);
        var back = JsonSerializer.Deserialize<EventDetails>(json, CreditJson.Options);

        Assert.IsType(detailsType, back);
        Assert.Equal(json, JsonSerializer.Serialize(back, CreditJson.Options));
        Assert.StartsWith($"{{\"type\":\"{type}\"", json);
    }

    [Fact]
    public void DiscriminatorMayComeAfterOtherMembers()
    {
        var back = JsonSerializer.Deserialize<EventDetails>(
            $$"""{"level":"b","year":2025,"type":"{{EventTypes.TaxCreditRated}}"}""",
            CreditJson.Options);

        Assert.Equal(new TaxCreditRated(TaxCreditLevel.B, 2025), back);
    }

    [Fact]
    public void EnumsAreWrittenInCamelCase()
    {
        var json = JsonSerializer.Serialize<EventDetails>(new InspectionCompleted(InspectionResult.CannotBeLocated), CreditJson.Options);

        Assert.Contains("\"result\":\"cannotBeLocated\"", json);
    }

    [Fact]
    public void NumericEnumValuesAreRefused()
    {
        Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<EventDetails>($$"""{"type":"{{EventTypes.RewardGranted}}","level":1}""", CreditJson.Options));
    }

    [Fact]
    public void OptionsCannotBeChangedByCallers()
    {
        Assert.True(CreditJson.Options.IsReadOnly);
    }

    private static object Sample(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => SampleValue(p.ParameterType)).ToArray();
        return constructor.Invoke(arguments);
    }

    private static object SampleValue(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            return Enum.GetValues(underlying).GetValue(Enum.GetValues(underlying).Length - 1)!;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>)))
        {
            var element = underlying.GetGenericArguments()[0];
            var array = Array.CreateInstance(element, 2);
            array.SetValue(SampleValue(element), 0);
            array.SetValue(SampleValue(element), 1);
            return array;
        }

        return underlying switch
        {
            _ when underlying == typeof(string) => "样例",
            _ when underlying == typeof(bool) => true,
            _ when underlying == typeof(int) => 7,
            _ when underlying == typeof(long) => 7L,
            _ when underlying == typeof(decimal) => 12.5m,
            _ when underlying == typeof(double) => 0.25,
            _ when underlying == typeof(DateOnly) => new DateOnly(2026, 3, 1),
            _ when underlying == typeof(DateTimeOffset) => new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8)),
            _ => throw new NotSupportedException($"Add a sample value for {underlying} to this test."),
        };
    }
}
