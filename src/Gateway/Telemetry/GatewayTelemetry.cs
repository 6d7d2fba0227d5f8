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

    /// <summary>
    /// The ASP.NET Core meters recorded: requests (duration by route and status, requests in flight), Kestrel's
    /// connections, handled exceptions, rate-limiter leases, and authentication and authorisation results.
    /// </summary>
    /// <remarks>
    /// Named here rather than taken whole from the instrumentation package, which also listens to the memory pool's
    /// meter (a measurement for every buffer rented and returned, several per request) and routing's (a match attempt
    /// per request, which the request duration's route tag already tells), and wraps every request in a middleware
    /// of its own that tags the requests an exception ended (the diagnostics meter, kept, counts those exceptions by
    /// type). Together they cost a pre-credit decision about one and a half microseconds of the gateway's CPU (perf)
    /// for nothing the dashboards show.
    /// </remarks>
    public static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
    ];

    public static WebApplicationBuilder AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        if (builder.Services.AddCreditGridTelemetry(builder.Configuration, ServiceName) is not { } telemetry)
        {
            return builder;
        }

        if (TelemetryOptions.From(builder.Configuration).TracesRequests(builder.Configuration))
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(options =>
                // Scrapes, probes and the live feed's long poll would crowd out the requests worth a trace.
                options.Filter = context => !IsOperational(context.Request.Path)));
        }

        telemetry
            .WithMetrics(metrics => metrics
                .AddMeter(AspNetCoreMeters)
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
