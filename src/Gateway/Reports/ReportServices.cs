using CreditGrid.Gateway.Public;
using CreditGrid.Grains.Hosting;
using CreditGrid.Storage;
using CreditGrid.Storage.InMemory;
using CreditGrid.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CreditGrid.Gateway.Reports;

/// <summary>Registers the public lookup and credit reports: the report registry follows <c>ConnectionStrings:CreditGrid</c>.</summary>
public static class ReportServices
{
    public static IServiceCollection AddPublicLookupAndReports(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.PostgresConnectionString() is { } connectionString)
        {
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.TryAddSingleton<ICreditReportRegistry>(sp => new PostgresCreditReportRegistry(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.TryAddSingleton<ICreditReportRegistry, InMemoryCreditReportRegistry>();
        }

        services.TryAddSingleton<ReportTypefaces>();
        services.TryAddSingleton<CreditReportPdf>();
        services.TryAddSingleton<CreditReportService>();
        services.TryAddSingleton<PublicLookup>();
        return services;
    }
}
