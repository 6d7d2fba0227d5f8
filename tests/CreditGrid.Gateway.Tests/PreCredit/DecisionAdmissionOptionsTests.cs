using CreditGrid.Gateway.PreCredit;
using Microsoft.Extensions.Configuration;

namespace CreditGrid.Gateway.Tests.PreCredit;

/// <summary>The admission settings: defaults, and a value out of range stops the gateway naming its key.</summary>
public sealed class DecisionAdmissionOptionsTests
{
    [Fact]
    public void UnsetTheBoundIsTwoHundredFiftySixWithAQueueOf4096()
    {
        var options = DecisionAdmissionOptions.From(Configuration());

        Assert.Equal(256, options.MaxConcurrent);
        Assert.Equal(4096, options.QueueLimit);
    }

    [Theory]
    [InlineData("MaxConcurrent", "0")]
    [InlineData("QueueLimit", "-1")]
    public void AValueOutOfRangeNamesItsKey(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DecisionAdmissionOptions.From(Configuration((key, value))));

        Assert.Contains($"{DecisionAdmissionOptions.Section}:{key}", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"{DecisionAdmissionOptions.Section}:{s.Key}", (string?)s.Value)))
            .Build();
}
