using CreditGrid.Grains.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CreditGrid.Gateway.Telemetry;

/// <summary>
/// The gateway's telemetry: the shared grid setup (Orleans traces and meters, the CreditGrid meter, runtime, OTLP)
/// plus ASP.NET Core requests, and a Prometheus scrape endpoint at <c>/metrics</c>. With
/// <c>CreditGrid:Telemetry:Enabled=false</c> none of it is registered.
/// </summary>
public static class GatewayTelemetry
{
    public const string ServiceName = "creditgrid-gateway";
    public const string ScrapePath = "/metrics";

    public static WebApplicationBuilder AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddCreditGridTelemetry(builder.Configuration, ServiceName)?
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(options =>
                // Scrapes, probes and the live feed's long poll would crowd out the requests worth a trace.
                options.Filter = context => !IsOperational(context.Request.Path)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                // No response cache: a scrape right after an ingest shows it (scrapes come every few seconds at most).
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>Maps <c>/metrics</c> when telemetry is on; returns its convention builder, or null when off.</summary>
    public static IEndpointConventionBuilder? MapGatewayTelemetry(this IEndpointRouteBuilder app) =>
        app.ServiceProvider.GetService<MeterProvider>() is null ? null : app.MapPrometheusScrapingEndpoint(ScrapePath);

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments(ScrapePath) || path.StartsWithSegments("/health") || path.StartsWithSegments("/api/v1/alerts/live");
}
