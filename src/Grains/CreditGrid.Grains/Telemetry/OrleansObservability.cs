using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace CreditGrid.Grains.Telemetry;

/// <summary>
/// What silos and clients add to Orleans for observability: trace-context propagation across grain calls (only
/// with telemetry on, since it puts a filter on every call) and the Orleans dashboard's collectors
/// (<c>CreditGrid:Dashboard:Enabled</c>, on by default).
/// </summary>
public static class OrleansObservability
{
    public const string DashboardEnabledKey = "CreditGrid:Dashboard:Enabled";

    public static bool DashboardEnabled(this IConfiguration configuration) => configuration.GetValue(DashboardEnabledKey, defaultValue: true);

    public static ISiloBuilder AddCreditGridObservability(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (configuration.TelemetryEnabled() && TelemetryOptions.From(configuration).GrainCallTracing)
        {
            silo.AddActivityPropagation();
        }

        if (configuration.DashboardEnabled())
        {
            silo.AddDashboard();
        }

        return silo;
    }

    public static IClientBuilder AddCreditGridObservability(this IClientBuilder client, IConfiguration configuration)
    {
        if (configuration.TelemetryEnabled() && TelemetryOptions.From(configuration).GrainCallTracing)
        {
            client.AddActivityPropagation();
        }

        if (configuration.DashboardEnabled())
        {
            client.AddDashboard();
        }

        return client;
    }
}
