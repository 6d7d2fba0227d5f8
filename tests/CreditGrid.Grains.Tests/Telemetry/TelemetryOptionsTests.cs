using CreditGrid.Grains.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace CreditGrid.Grains.Tests.Telemetry;

/// <summary>Requests and grain calls are traced where traces are exported, unless the operator says otherwise.</summary>
public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "http://collector:4317", true)]
    [InlineData("false", "http://collector:4317", false)]
    [InlineData("true", null, true)]
    [InlineData(null, " ", false)]
    public void GrainCallTracingFollowsTheExporterUnlessSet(string? setting, string? endpoint, bool traced)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CreditGrid:Telemetry:GrainCallTracing"] = setting,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
        }).Build();

        Assert.Equal(traced, TelemetryOptions.From(configuration).TracesGrainCalls(configuration));
    }

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData(null, null, "http://collector:4317", true)]
    [InlineData(null, "true", null, true)]
    [InlineData("true", null, null, true)]
    [InlineData("false", "true", "http://collector:4317", false)]
    public void RequestTracingFollowsTheExporterOrGrainCallTracingUnlessSet(string? setting, string? grainCalls, string? endpoint, bool traced)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CreditGrid:Telemetry:RequestTracing"] = setting,
            ["CreditGrid:Telemetry:GrainCallTracing"] = grainCalls,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
        }).Build();

        Assert.Equal(traced, TelemetryOptions.From(configuration).TracesRequests(configuration));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public void ATracerIsRegisteredOnlyWhenRequestsAreTraced(string? setting, bool registered)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CreditGrid:Telemetry:RequestTracing"] = setting,
        }).Build();
        var services = new ServiceCollection();

        services.AddCreditGridTelemetry(configuration, "test");

        using var provider = services.BuildServiceProvider();
        Assert.Equal(registered, provider.GetService<TracerProvider>() is not null);
    }
}
