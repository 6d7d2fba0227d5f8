using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Serialization;
using CreditGrid.Grains.Streaming;
using CreditGrid.Grains.Subjects;
using CreditGrid.Storage;
using CreditGrid.Storage.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Streams;

namespace CreditGrid.Grains.Hosting;

/// <summary>Registers the grid on a silo or a client, reading everything from configuration.</summary>
public static class CreditGridHosting
{
    /// <summary>The connection string that switches every durable component to PostgreSQL.</summary>
    public const string ConnectionStringName = "CreditGrid";

    /// <summary>Services both silos and gateways need: the log, the partitioner, the rules, serialization.</summary>
    public static IServiceCollection AddCreditGridCore(this IServiceCollection services)
    {
        services.AddOptions<CreditLogStreamOptions>()
            .BindConfiguration(CreditLogStreamOptions.Section)
            .Validate(o => o.Partitions is >= 1 and <= 1024, $"{CreditLogStreamOptions.Section}:Partitions must be between 1 and 1024.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, $"{CreditLogStreamOptions.Section}:PollInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<SubjectGrainOptions>().BindConfiguration(SubjectGrainOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICreditLogPartitioner>(sp => new CreditLogPartitioner(sp.GetRequiredService<IOptions<CreditLogStreamOptions>>().Value.Partitions));
        services.TryAddSingleton(_ => CreditRules.Default);
        services.TryAddSingleton(sp => new CreditEvaluator(sp.GetRequiredService<CreditRules>()));
        services.TryAddSingleton<CityRollup>();
        services.TryAddSingleton<ICreditEventLog>(sp => new InMemoryCreditEventLog(sp.GetRequiredService<ICreditLogPartitioner>()));
        services.TryAddSingleton<ICreditLogCheckpointStore, InMemoryCreditLogCheckpointStore>();
        services.AddSerializer(builder => builder.AddCreditGridDomainTypes());
        return services;
    }

    /// <summary>A silo of the grid: grain storage, the log-backed stream, and the core services.</summary>
    public static ISiloBuilder AddCreditGrid(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddCreditGridCore();
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)))
        {
            silo.AddMemoryGrainStorage(CreditStorage.StateStorageName, options => options.GrainStorageSerializer = new JsonGrainStateSerializer());
        }

        silo.AddPersistentStreams(CreditStreams.ProviderName, CreditLogQueueAdapterFactory.Create, stream =>
        {
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptions<CreditLogStreamOptions>>((pulling, log) =>
            {
                pulling.GetQueueMsgsTimerPeriod = log.Value.PollInterval;
            }));
        });
        return silo;
    }
}
