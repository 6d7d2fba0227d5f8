using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.Tests.Streaming;

public sealed class CreditLogStreamOptionsTests
{
    [Fact]
    public void An_idle_poll_interval_shorter_than_the_poll_interval_is_refused_naming_the_key()
    {
        var options = Resolve(new() { ["CreditGrid:Stream:PollInterval"] = "00:00:00.050", ["CreditGrid:Stream:IdlePollInterval"] = "00:00:00.020" });

        var refused = Assert.Throws<OptionsValidationException>(() => options.Value);
        Assert.Contains("CreditGrid:Stream:IdlePollInterval must be at least PollInterval", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_idle_poll_interval_binds_from_configuration_and_may_equal_the_poll_interval()
    {
        var options = Resolve(new() { ["CreditGrid:Stream:IdlePollInterval"] = "00:00:00.020" });

        Assert.Equal(TimeSpan.FromMilliseconds(20), options.Value.IdlePollInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(200), new CreditLogStreamOptions().IdlePollInterval);
    }

    private static IOptions<CreditLogStreamOptions> Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCreditGridCore(configuration);
        return services.BuildServiceProvider().GetRequiredService<IOptions<CreditLogStreamOptions>>();
    }
}
