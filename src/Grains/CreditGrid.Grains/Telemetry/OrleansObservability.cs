using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace CreditGrid.Grains.Telemetry;

/// <summary>
/// What silos and clients add to Orleans for observability: trace-context propagation across the grain calls of
/// recorded traces (<see cref="GrainCallTracing"/>; only with telemetry and grain-call tracing on, see
/// <see cref="TelemetryOptions.GrainCallTracing"/>) and the Orleans dashboard's collectors (<c>CreditGrid:Dashboard:Enabled</c>, on by default).
/// </summary>
public static class OrleansObservability
{
    public const string DashboardEnabledKey = "CreditGrid:Dashboard:Enabled";

    public static bool DashboardEnabled(this IConfiguration configuration) => configuration.GetValue(DashboardEnabledKey, defaultValue: true);

    private static bool TracesGrainCalls(IConfiguration configuration) =>
        TelemetryOptions.From(configuration) is { Enabled: true } options && options.TracesGrainCalls(configuration);

    public static ISiloBuilder AddCreditGridObservability(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (TracesGrainCalls(configuration))
        {
            silo.AddOutgoingGrainCallFilter<TracingOutgoingGrainCallFilter>()
                .AddIncomingGrainCallFilter<TracingIncomingGrainCallFilter>();
        }

        if (configuration.DashboardEnabled())
        {
            silo.AddDashboard();
        }

        return silo;
    }

    public static IClientBuilder AddCreditGridObservability(this IClientBuilder client, IConfiguration configuration)
    {
        if (TracesGrainCalls(configuration))
        {
            client.AddOutgoingGrainCallFilter<TracingOutgoingGrainCallFilter>()
                .AddIncomingGrainCallFilter<TracingIncomingGrainCallFilter>();
        }

        if (configuration.DashboardEnabled())
        {
            client.AddDashboard();
        }

        return client;
    }
}
