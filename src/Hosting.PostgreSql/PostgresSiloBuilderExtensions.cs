using Microsoft.Extensions.Configuration;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace CreditGrid.Hosting.PostgreSql;

/// <summary>
/// Silo and client wiring of the Orleans ADO.NET providers against CreditGrid's PostgreSQL schema
/// (<c>deploy/sql</c>, applied by <see cref="Storage.Migrations.SchemaMigrator"/>).
/// </summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant of Npgsql; the persistence provider would otherwise default to SQL Server.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Everything durable in PostgreSQL: schema migration on start, clustering, reminders and one grain storage per
    /// name in <paramref name="grainStorageNames"/>.
    /// </summary>
    public static ISiloBuilder UseCreditGridPostgres(this ISiloBuilder builder, string connectionString, params string[] grainStorageNames) =>
        builder.UseCreditGridPostgres(connectionString, stateSerializer: null, grainStorageNames);

    /// <summary>
    /// As above, with the host's own grain-state serializer, so state has one format whichever storage holds it.
    /// </summary>
    public static ISiloBuilder UseCreditGridPostgres(this ISiloBuilder builder, string connectionString, IGrainStorageSerializer? stateSerializer, params string[] grainStorageNames)
    {
        builder.AddCreditGridSchemaMigration(connectionString)
            .UseCreditGridPostgresClustering(connectionString)
            .UseCreditGridPostgresReminders(connectionString);
        foreach (var name in grainStorageNames)
        {
            builder.AddCreditGridPostgresGrainStorage(name, connectionString, stateSerializer);
        }

        return builder;
    }

    /// <summary>Applies pending schema migrations before any provider reads its queries.</summary>
    public static ISiloBuilder AddCreditGridSchemaMigration(this ISiloBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            sp => new SchemaMigrationParticipant(
                connectionString,
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetService<IConfiguration>()?.GetValue<TimeSpan?>(SchemaMigrationParticipant.StartupRetryKey)));
        return builder;
    }

    /// <summary>Membership in PostgreSQL (<c>orleans_membership</c>).</summary>
    public static ISiloBuilder UseCreditGridPostgresClustering(this ISiloBuilder builder, string connectionString) =>
        builder.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });

    /// <summary>Gateway discovery for an external client from the same membership table.</summary>
    public static IClientBuilder UseCreditGridPostgresClustering(this IClientBuilder builder, string connectionString) =>
        builder.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });

    /// <summary>Reminders in PostgreSQL (<c>orleans_reminders</c>).</summary>
    public static ISiloBuilder UseCreditGridPostgresReminders(this ISiloBuilder builder, string connectionString) =>
        builder.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });

    /// <summary>
    /// A grain storage named <paramref name="name"/> in <c>orleans_storage</c>: the ADO.NET provider behind
    /// <see cref="GrainTypeScopedGrainStorage"/>, serializing state with System.Text.Json.
    /// </summary>
    /// <remarks>
    /// System.Text.Json writes no .NET type names (unlike the default Newtonsoft serializer's assembly-qualified
    /// <c>$type</c>), so moving or renaming a state type's namespace does not break stored state; polymorphic members
    /// use their <c>[JsonDerivedType]</c> discriminators, which are stable strings. Enums are written by name so that
    /// reordering enum members cannot change the meaning of stored values.
    /// </remarks>
    /// <param name="stateSerializer">The serializer for state; null uses Orleans' System.Text.Json serializer.</param>
    public static ISiloBuilder AddCreditGridPostgresGrainStorage(this ISiloBuilder builder, string name, string connectionString, IGrainStorageSerializer? stateSerializer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var innerName = InnerStorageName(name);

        builder.AddAdoNetGrainStorage(innerName, (Microsoft.Extensions.Options.OptionsBuilder<AdoNetGrainStorageOptions> ob) =>
            ob.Configure<IServiceProvider>((o, sp) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = stateSerializer ?? ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(sp);
            }));

        builder.Services.PostConfigure<SystemTextJsonGrainStorageSerializerOptions>(o =>
        {
            if (!o.JsonSerializerOptions.Converters.OfType<JsonStringEnumConverter>().Any())
            {
                o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            }
        });

        builder.Services.AddKeyedSingleton<IGrainStorage>(
            name,
            (sp, _) => new GrainTypeScopedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(innerName)));
        if (name == ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
        {
            builder.Services.AddSingleton(sp => sp.GetRequiredKeyedService<IGrainStorage>(name));
        }

        return builder;
    }

    /// <summary>The name the undecorated ADO.NET provider is registered under; never used by grains directly.</summary>
    public static string InnerStorageName(string name) => name + ".adonet";
}
