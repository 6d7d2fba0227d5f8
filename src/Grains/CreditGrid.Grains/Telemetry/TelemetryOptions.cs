namespace CreditGrid.Grains.Telemetry;

/// <summary>Telemetry settings of silos and gateways (<c>CreditGrid:Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "CreditGrid:Telemetry";

    /// <summary>Off removes every listener, exporter and grain-call filter, so the hot paths pay nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Share of new traces recorded (a trace started upstream keeps its caller's decision). Low by default: recording
    /// every lookup with its grain calls halves the throughput of direct calls.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 0.05;

    /// <summary>
    /// Follow recorded traces into grain calls (<see cref="GrainCallTracing"/>). Unset, it is on when traces leave the
    /// process (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set) and off otherwise: Orleans runs every call through its
    /// filter pipeline once a filter is registered, which costs each call even when the filter does nothing, and
    /// without an exporter no span would be seen.
    /// </summary>
    public bool? GrainCallTracing { get; set; }

    /// <summary>Whether grain calls are traced: <see cref="GrainCallTracing"/>, or when unset whether traces are exported.</summary>
    public bool TracesGrainCalls(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        GrainCallTracing ?? CreditGridTelemetry.ExportsOverOtlp(configuration);

    /// <summary>
    /// Trace requests at all (the ASP.NET Core instrumentation, the sampler). Unset, it is on when traces leave the
    /// process (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set) or grain calls are traced, and off otherwise: without an
    /// exporter nothing reads a trace, yet every request still started an activity for it (about 3 µs of a gateway's
    /// CPU per request, perf).
    /// </summary>
    public bool? RequestTracing { get; set; }

    /// <summary>Whether requests are traced: <see cref="RequestTracing"/>, or when unset whether traces are exported or grain calls traced.</summary>
    public bool TracesRequests(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        RequestTracing ?? (CreditGridTelemetry.ExportsOverOtlp(configuration) || TracesGrainCalls(configuration));

    /// <summary>Record the <c>Microsoft.Orleans</c> meter (messaging, activations, storage); each message pays for it.</summary>
    public bool OrleansMetrics { get; set; } = true;

    /// <summary>When set, a stand-alone silo serves Prometheus metrics on this port at <c>/metrics</c>; off by default.</summary>
    public int? PrometheusPort { get; set; }

    /// <summary>Host the silo's Prometheus listener binds to: <c>+</c> (every interface, for a remote scraper) by default.</summary>
    public string PrometheusHost { get; set; } = "+";

    /// <summary>Reads and checks the section; a ratio outside [0, 1] is a configuration error, not a silent clamp.</summary>
    public static TelemetryOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = new TelemetryOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(Section), options);
        if (double.IsNaN(options.TraceSampleRatio) || options.TraceSampleRatio is < 0 or > 1)
        {
            throw new InvalidOperationException($"{Section}:TraceSampleRatio must be between 0 and 1; got {options.TraceSampleRatio}.");
        }

        if (options.PrometheusPort is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{Section}:PrometheusPort must be a TCP port (1–65535); got {options.PrometheusPort}.");
        }

        return options;
    }
}
