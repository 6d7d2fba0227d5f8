using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Streaming;
using Microsoft.Extensions.Configuration;
using CreditGrid.Storage;
using CreditGrid.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        Assert.Equal(TimeSpan.FromSeconds(1), new CreditLogStreamOptions().IdlePollInterval);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void A_silo_on_PostgreSQL_listens_for_appends_unless_configured_not_to(string? setting, bool listens)
    {
        var settings = setting is null ? new Dictionary<string, string?>() : new() { ["CreditGrid:Stream:ListenForAppends"] = setting };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<CreditLogWakeups>();

        services.AddCreditLogListener(configuration, "Host=127.0.0.1;Database=unused");

        // Resolving builds the listener without connecting: it connects when the host starts it.
        var hosted = services.BuildServiceProvider().GetServices<IHostedService>();
        Assert.Equal(listens, hosted.OfType<PostgresCreditLogListener>().Any());
        Assert.Equal(listens, Resolve(settings).Value.ListenForAppends);
    }

    [Fact]
    public void A_listen_setting_that_is_not_a_boolean_stops_start_up_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CreditGrid:Stream:ListenForAppends"] = "sometimes" }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCreditLogListener(configuration, "Host=127.0.0.1;Database=unused"));
        Assert.Contains("CreditGrid:Stream:ListenForAppends", refused.Message, StringComparison.Ordinal);
    }

    private static IOptions<CreditLogStreamOptions> Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddCreditGridCore(configuration);
        return services.BuildServiceProvider().GetRequiredService<IOptions<CreditLogStreamOptions>>();
    }
}
