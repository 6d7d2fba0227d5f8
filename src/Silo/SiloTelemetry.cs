using CreditGrid.Grains.Telemetry;
using OpenTelemetry.Metrics;

namespace CreditGrid.Silo;

/// <summary>
/// The stand-alone silo's telemetry: the shared grid setup, and, only when <c>CreditGrid:Telemetry:PrometheusPort</c>
/// is set, a Prometheus endpoint <c>http://+:PORT/metrics</c> on a plain HttpListener. A silo is a generic host
/// without Kestrel; the listener keeps it that way, and staying off by default leaves no port open unasked (OTLP
/// export covers deployments that push instead of scrape).
/// </summary>
internal static class SiloTelemetry
{
    public const string ServiceName = "creditgrid-silo";

    public static HostApplicationBuilder AddSiloTelemetry(this HostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddCreditGridTelemetry(builder.Configuration, ServiceName);
        var options = TelemetryOptions.From(builder.Configuration);
        if (telemetry is not null && options.PrometheusPort is { } port)
        {
            telemetry.WithMetrics(metrics => metrics.AddPrometheusHttpListener(listener =>
            {
                listener.Port = port;
                if (options.PrometheusHost is "+" or "*")
                {
                    // The options build a URI from the host, which a wildcard is not; bind every interface directly.
                    listener.ConfigureHttpListener = (_, http) =>
                    {
                        http.Prefixes.Clear();
                        http.Prefixes.Add($"http://+:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");
                    };
                }
                else
                {
                    listener.Host = options.PrometheusHost;
                }
            }));
        }

        return builder;
    }
}
