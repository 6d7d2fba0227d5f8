using CreditGrid.Storage.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;

namespace CreditGrid.Hosting.PostgreSql;

/// <summary>
/// Migrates the database at the very first silo lifecycle stage, before the membership, reminder and grain-storage
/// providers load their queries from <c>orleansquery</c>. Concurrent silos are serialised by the migrator's lock.
/// </summary>
internal sealed class SchemaMigrationParticipant(string connectionString, ILoggerFactory loggerFactory) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, loggerFactory.CreateLogger<SchemaMigrator>()).MigrateAsync(cancellationToken).ConfigureAwait(false);
    }
}
