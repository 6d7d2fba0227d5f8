using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>
/// Ready only while PostgreSQL answers: the gateway appends every batch to the log there, so a gateway that cannot
/// reach it should leave the load balancer's rotation. A <c>SELECT 1</c> through the pooled data source is the cheapest
/// proof.
/// </summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(deadline.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception ex) when ((ex is NpgsqlException or OperationCanceledException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable.", ex);
        }
    }
}

/// <summary>Registration of the readiness checks beyond the cluster's.</summary>
public static class StorageHealth
{
    /// <summary>Adds the PostgreSQL readiness check when <c>ConnectionStrings:CreditGrid</c> is set.</summary>
    public static IHealthChecksBuilder AddStorageReadiness(this IHealthChecksBuilder checks, IConfiguration configuration) =>
        CreditGrid.Grains.Hosting.CreditGridHosting.PostgresConnectionString(configuration) is null
            ? checks
            : checks.AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
}
