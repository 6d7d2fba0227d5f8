using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CreditGrid.Grains.Telemetry;

/// <summary>
/// OpenTelemetry as silos and gateways share it: traces of grain calls, the Orleans meter, the grid's own
/// meter and runtime metrics, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Hosts add their own
/// instrumentation and exporters to the builder this returns.
/// </summary>
public static class CreditGridTelemetry
{
    /// <summary>
    /// Grain-call spans (<see cref="GrainCallTracing"/>). Orleans' own sources stay off: its activation spans start a
    /// trace of their own when no request is behind them, which at scale is noise rather than insight.
    /// </summary>
    public static readonly string[] GrainActivitySources = [GrainCallTracing.SourceName];

    public const string OrleansMeterName = "Microsoft.Orleans";

    public static bool TelemetryEnabled(this IConfiguration configuration) => TelemetryOptions.From(configuration).Enabled;

    /// <summary>Whether traces, metrics and logs are pushed to an OTLP collector (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public static bool ExportsOverOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>Registers OpenTelemetry for <paramref name="serviceName"/>, or nothing (null) when telemetry is off.</summary>
    public static OpenTelemetryBuilder? AddCreditGridTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var options = TelemetryOptions.From(configuration);
        if (!options.Enabled)
        {
            return null;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        if (options.TracesRequests(configuration))
        {
            telemetry.WithTracing(tracing =>
            {
                // Parent-based: a request already sampled upstream is followed through every grain it touches.
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)));
                if (options.TracesGrainCalls(configuration))
                {
                    tracing.AddSource(GrainActivitySources);
                }
            });
        }

        telemetry
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CreditGridMetrics.MeterName, PreCredit.PreCreditMetrics.MeterName).AddRuntimeInstrumentation();
                if (options.OrleansMetrics)
                {
                    metrics.AddMeter(OrleansMeterName);
                }
            });
        if (ExportsOverOtlp(configuration))
        {
            // Reads the endpoint, protocol and headers from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
        }

        return telemetry;
    }
}
