using CreditGrid.Grains.Cities;
using CreditGrid.Grains.PreCredit;
using CreditGrid.Grains.Persistence;
using CreditGrid.Grains.Rules;
using CreditGrid.Grains.Serialization;
using CreditGrid.Grains.Streaming;
using CreditGrid.Grains.Subjects;
using CreditGrid.Grains.Telemetry;
using CreditGrid.Grains.Time;
using CreditGrid.Hosting.PostgreSql;
using CreditGrid.Storage;
using CreditGrid.Storage.Entries;
using CreditGrid.Storage.InMemory;
using CreditGrid.Storage.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Streams;

namespace CreditGrid.Grains.Hosting;

/// <summary>
/// Registers the grid on a silo or a client, reading everything from configuration. With
/// <c>ConnectionStrings:CreditGrid</c> set, everything durable is PostgreSQL; without it, the in-memory twins.
/// </summary>
public static class CreditGridHosting
{
    /// <summary>The connection string that switches every durable component to PostgreSQL.</summary>
    public const string ConnectionStringName = "CreditGrid";

    /// <summary>Membership tuning (<c>CreditGrid:Membership</c>), bound over fast-failover defaults.</summary>
    public const string MembershipSection = "CreditGrid:Membership";

    /// <summary>
    /// <c>ConnectionStrings:CreditGrid</c> with the grid's session defaults (<see cref="PostgresConnectionStrings"/>),
    /// or null when it is not set.
    /// </summary>
    public static string? PostgresConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value
            ? PostgresConnectionStrings.WithGridSessionDefaults(value)
            : null;

    /// <summary>Services both silos and gateways need: the log, the partitioner, the rules, serialization, remembered grain interface types.</summary>
    public static IServiceCollection AddCreditGridCore(this IServiceCollection services, IConfiguration configuration)
    {
        CachedGrainInterfaceTypes.AddTo(services);
        services.AddOptions<CreditLogStreamOptions>()
            .BindConfiguration(CreditLogStreamOptions.Section)
            .Validate(o => o.Partitions is >= 1 and <= 1024, $"{CreditLogStreamOptions.Section}:Partitions must be between 1 and 1024.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, $"{CreditLogStreamOptions.Section}:PollInterval must be positive.")
            .Validate(o => o.IdlePollInterval >= o.PollInterval, $"{CreditLogStreamOptions.Section}:IdlePollInterval must be at least PollInterval.")
            .Validate(o => o.InactivityPeriod >= TimeSpan.FromSeconds(1), $"{CreditLogStreamOptions.Section}:InactivityPeriod must be at least one second.")
            .ValidateOnStart();
        services.AddOptions<SubjectGrainOptions>()
            .BindConfiguration(SubjectGrainOptions.Section)
            .Validate(o => o.SnapshotInterval > TimeSpan.Zero, $"{SubjectGrainOptions.Section}:SnapshotInterval must be positive.")
            .Validate(o => o.SnapshotEvery >= 1, $"{SubjectGrainOptions.Section}:SnapshotEvery must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(GridClock.Real);
        services.TryAddSingleton<ICreditLogPartitioner>(sp => new CreditLogPartitioner(sp.GetRequiredService<IOptions<CreditLogStreamOptions>>().Value.Partitions));
        services.AddOptions<RulesOptions>()
            .BindConfiguration(RulesOptions.Section)
            .Validate(o => o.RefreshInterval > TimeSpan.Zero, $"{RulesOptions.Section}:RefreshInterval must be positive.");
        services.AddOptions<CityTimeOptions>()
            .BindConfiguration(CityTimeOptions.Section)
            .Validate(o => o.SweepInterval >= TimeSpan.FromMinutes(1), $"{CityTimeOptions.Section}:SweepInterval must be at least one minute (an Orleans reminder period).")
            .Validate(o => o.SweepConcurrency is >= 1 and <= 1024, $"{CityTimeOptions.Section}:SweepConcurrency must be between 1 and 1024.");
        services.TryAddSingleton(sp => StartupRules.Load(sp.GetRequiredService<IOptions<RulesOptions>>().Value.Path));
        services.TryAddSingleton(sp => new ActiveRules(sp.GetRequiredService<StartupRules>()));
        services.TryAddSingleton<CreditLogWakeups>();
        if (configuration.PostgresConnectionString() is { } connectionString)
        {
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.TryAddSingleton<ICreditEventLog>(sp => new PostgresCreditEventLog(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ICreditLogPartitioner>(), sp.GetRequiredService<ILogger<PostgresCreditEventLog>>()));
            services.TryAddSingleton<ICreditLogCheckpointStore>(sp => new PostgresCreditLogCheckpointStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.TryAddSingleton<ICreditEventLog>(sp => new InMemoryCreditEventLog(sp.GetRequiredService<ICreditLogPartitioner>(), sp.GetRequiredService<CreditLogWakeups>()));
            services.TryAddSingleton<ICreditLogCheckpointStore, InMemoryCreditLogCheckpointStore>();
        }

        services.AddSerializer(builder => builder.AddCreditGridDomainTypes());
        return services;
    }

    /// <summary>
    /// The silo's listener for the PostgreSQL log's append notifications, unless
    /// <c>CreditGrid:Stream:ListenForAppends</c> is false.
    /// </summary>
    public static IServiceCollection AddCreditLogListener(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        if (configuration.GetValue($"{CreditLogStreamOptions.Section}:{nameof(CreditLogStreamOptions.ListenForAppends)}", true))
        {
            services.AddHostedService(sp => new PostgresCreditLogListener(
                connectionString, sp.GetRequiredService<CreditLogWakeups>(), sp.GetRequiredService<ILogger<PostgresCreditLogListener>>()));
        }

        return services;
    }

    /// <summary>A silo of the grid: grain storage, the log-backed stream, membership, and the core services.</summary>
    public static ISiloBuilder AddCreditGrid(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddCreditGridCore(configuration);
        silo.Services.AddCreditGridPreCredit(configuration);
        silo.Services.AddOptions<ReadBoardOptions>();
        silo.Services.TryAddSingleton<SubjectDocumentBoard>();
        silo.Services.TryAddSingleton<CityRollup>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CityRollup>());
        var stateSerializer = new JsonGrainStateSerializer();
        if (configuration.PostgresConnectionString() is { } connectionString)
        {
            silo.UseCreditGridPostgres(connectionString, stateSerializer, CreditStorage.StateStorageName);
            silo.Services.TryAddSingleton<IGrainEntryStore>(sp => new PostgresGrainEntryStore(sp.GetRequiredService<NpgsqlDataSource>()));
            silo.Services.AddCreditLogListener(configuration, connectionString);
        }
        else
        {
            silo.Services.TryAddSingleton<IGrainEntryStore, InMemoryGrainEntryStore>();
            silo.Services.AddKeyedSingleton<IGrainStorage>(CreditStorage.StateStorageName, (_, _) => new InProcessGrainStorage(stateSerializer));
            silo.UseInMemoryReminderService();
        }

        // Resolving the follower loads the start-up rules, so an invalid rules file stops the silo at start.
        silo.Services.AddHostedService<RulesFollower>();

        silo.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
        silo.Services.AddOptions<ClusterMembershipOptions>().Configure(UseFastFailover).BindConfiguration(MembershipSection);
        silo.Services.AddOptions<SiloMessagingOptions>().Configure(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        silo.AddPersistentStreams(CreditStreams.ProviderName, CreditLogQueueAdapterFactory.Create, stream =>
        {
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptions<CreditLogStreamOptions>>((pulling, log) =>
            {
                pulling.GetQueueMsgsTimerPeriod = log.Value.PollInterval;

                // Each queue checks every stream it has delivered to on every poll, so with the default half hour a
                // silo holding 100,000 quiet subjects walked all of them 50 times a second. A stream
                // silent this long is dropped and registered again, cheaply (implicit subscriptions), by its next event.
                pulling.StreamInactivityPeriod = log.Value.InactivityPeriod;
            }));
        });
        silo.AddCreditGridObservability(configuration);
        return silo;
    }

    /// <summary>A gateway joining a cluster as an Orleans client.</summary>
    public static IClientBuilder AddCreditGridClient(this IClientBuilder client, IConfiguration configuration)
    {
        client.Services.AddCreditGridCore(configuration);
        if (configuration.PostgresConnectionString() is { } connectionString)
        {
            client.UseCreditGridPostgresClustering(connectionString);
        }

        client.Configure<ClusterOptions>(configuration.GetSection("Orleans"));

        // A gateway reads publicity periods from the rules too, so it follows the active version like a silo.
        client.Services.AddHostedService<RulesFollower>();
        client.Services.AddOptions<ClientMessagingOptions>().Configure(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        client.AddCreditGridObservability(configuration);
        return client;
    }

    /// <summary>
    /// The defaults wait minutes before declaring a silo dead, and every queue whose grains lived there stalls until
    /// then; a grid of record wants seconds. Three missed 1 s probes from one voter are enough on a LAN: with 2 s probes
    /// the crash test's reads were all correct again 5.1–11.2 s after a SIGKILL (five runs), with 1 s probes 4.8–6.9 s (seven). A silo that
    /// finds itself degraded (Orleans' local health monitor) lengthens its probe timeout before it votes, so a slow
    /// machine delays a verdict rather than killing a live silo.
    /// </summary>
    private static void UseFastFailover(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 3;
        o.NumVotesForDeathDeclaration = 1;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
