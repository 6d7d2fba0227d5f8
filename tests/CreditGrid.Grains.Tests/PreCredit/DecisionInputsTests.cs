using CreditGrid.Domain.PreCredit;
using CreditGrid.Grains.PreCredit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CreditGrid.Grains.Tests.PreCredit;

/// <summary>A decision's inputs: a dictionary by name to every reader, whether in process, across silos or from JSON.</summary>
public sealed class DecisionInputsTests
{
    [Fact]
    public void TheInputNamesAreDistinctAndStartWithTheFeatureVector()
    {
        Assert.Equal(DecisionComposer.InputNames.Length, DecisionComposer.InputNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(PreCreditFeatureVector.Names, DecisionComposer.InputNames.Take(PreCreditFeatureVector.Names.Count));
    }

    [Fact]
    public void InputsReadAsADictionaryInTheirOrder()
    {
        var inputs = new DecisionInputs(["b", "a", "c"], [2.5, -1, 0]);

        Assert.Equal(3, inputs.Count);
        Assert.Equal(-1, inputs["a"]);
        Assert.True(inputs.TryGetValue("c", out var c) && c == 0);
        Assert.False(inputs.TryGetValue("d", out _));
        Assert.False(inputs.ContainsKey("d"));
        Assert.Throws<KeyNotFoundException>(() => inputs["d"]);
        Assert.Equal(["b", "a", "c"], ((IReadOnlyDictionary<string, double>)inputs).Keys);
        Assert.Equal([2.5, -1, 0], ((IReadOnlyDictionary<string, double>)inputs).Values);
        Assert.Equal([new("b", 2.5), new("a", -1), new KeyValuePair<string, double>("c", 0)], inputs);
    }

    [Fact]
    public void NamesAndNumbersMustPair() =>
        Assert.Throws<ArgumentException>(() => new DecisionInputs(["a", "b"], [1]));

    [Fact]
    public void InputsCrossTheClusterAsTheyAre()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        IReadOnlyDictionary<string, double> inputs = new DecisionInputs(["grade", "annual_tax_paid"], [3, 125_000.5]);

        var copy = serializer.Deserialize<IReadOnlyDictionary<string, double>>(serializer.SerializeToArray(inputs));

        var read = Assert.IsType<DecisionInputs>(copy);
        Assert.Equal(["grade", "annual_tax_paid"], read.Names);
        Assert.Equal([3, 125_000.5], read.Numbers);
    }
}
