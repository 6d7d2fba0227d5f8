using CreditGrid.Grains.Telemetry;
using Orleans.Dashboard;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>The Orleans dashboard for admins at <c>/dashboard</c>.</summary>
public static class DashboardEndpoint
{
    public const string Path = "/dashboard";

    /// <summary>
    /// Maps the dashboard and returns its conventions, so access can be restricted where authentication is set up
    /// (<c>app.MapCreditGridDashboard().RequireAuthorization("admin")</c>). With <c>CreditGrid:Dashboard:Enabled=false</c>
    /// nothing answers there, and the returned group carries no endpoints.
    /// </summary>
    public static IEndpointConventionBuilder MapCreditGridDashboard(this WebApplication app) =>
        app.Configuration.DashboardEnabled() ? app.MapOrleansDashboard(routePrefix: Path) : app.MapGroup(Path);
}
