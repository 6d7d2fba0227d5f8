using CreditGrid.Grains.Hosting;
using CreditGrid.Storage.Audit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CreditGrid.Gateway.Audit;

/// <summary>Registers the audit log: PostgreSQL when <c>ConnectionStrings:CreditGrid</c> is set, memory otherwise.</summary>
public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddCreditGridAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .Validate(o => o.QueueCapacity >= 1, $"{AuditOptions.Section}:QueueCapacity must be at least 1.")
            .Validate(o => o.BatchSize >= 1, $"{AuditOptions.Section}:BatchSize must be at least 1.")
            .Validate(o => o.EnqueueTimeout > TimeSpan.Zero, $"{AuditOptions.Section}:EnqueueTimeout must be positive.")
            .Validate(o => o.FlushInterval >= TimeSpan.Zero && o.FlushInterval < o.EnqueueTimeout, $"{AuditOptions.Section}:FlushInterval must be at least zero and shorter than EnqueueTimeout.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // The same data source as the credit-event log when the grid registered one (TryAdd): one connection pool.
        if (configuration.PostgresConnectionString() is { } connectionString)
        {
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.TryAddSingleton<IAuditStore>(sp => new PostgresAuditStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.TryAddSingleton<IAuditStore, InMemoryAuditStore>();
        }

        services.TryAddSingleton<AuditQueue>();
        services.AddHostedService<AuditWriter>();
        return services;
    }
}
