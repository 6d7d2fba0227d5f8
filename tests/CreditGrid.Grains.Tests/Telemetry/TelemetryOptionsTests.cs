using CreditGrid.Grains.Telemetry;
using Microsoft.Extensions.Configuration;

namespace CreditGrid.Grains.Tests.Telemetry;

/// <summary>Grain calls are traced where traces are exported, unless the operator says otherwise.</summary>
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
}
