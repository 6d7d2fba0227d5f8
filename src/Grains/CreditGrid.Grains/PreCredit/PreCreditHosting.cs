using CreditGrid.Storage.PreCredit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CreditGrid.Grains.PreCredit;

/// <summary>Services of the pre-credit desk on a silo.</summary>
public static class PreCreditHosting
{
    public static IServiceCollection AddCreditGridPreCredit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PreCreditOptions>()
            .BindConfiguration(PreCreditOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ModelPath), $"{PreCreditOptions.Section}:ModelPath is required.")
            .Validate(o => o.ReloadInterval > TimeSpan.Zero, $"{PreCreditOptions.Section}:ReloadInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<FeatureDriftMonitor>();
        services.TryAddSingleton<PreCreditModels>();
        services.TryAddSingleton<PreCreditDesk>();
        services.TryAddSingleton<ConsentBoard>();
        if (configuration.GetConnectionString(Hosting.CreditGridHosting.ConnectionStringName) is { Length: > 0 })
        {
            services.TryAddSingleton<IPreCreditDecisionStore>(sp => new PostgresPreCreditDecisionStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.TryAddSingleton<IPreCreditDecisionStore, InMemoryPreCreditDecisionStore>();
        }

        return services;
    }
}
