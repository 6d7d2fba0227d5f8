using CreditGrid.Domain.Events;
using CreditGrid.Testing;
using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Serialization;
using CreditGrid.Grains.Streaming;
using CreditGrid.Grains.Subjects;
using Orleans.Storage;
using CreditGrid.Storage;
using CreditGrid.Storage.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace CreditGrid.Grains.Tests;

/// <summary>One in-process cluster for all grain tests; the test appends to the same log the silo streams from.</summary>
public sealed class GridClusterFixture : IAsyncLifetime
{
    public GridClusterFixture()
    {
        Log = new InMemoryCreditEventLog(new CreditLogPartitioner(16), Wakeups);
    }

    /// <summary>Shared with the silo, so the test's appends wake its stream readers as a gateway's would.</summary>
    public CreditLogWakeups Wakeups { get; } = new();

    public const int SnapshotEvery = 4;

    public static readonly TimeSpan SnapshotInterval = TimeSpan.FromMilliseconds(300);

    public InMemoryCreditEventLog Log { get; }

    /// <summary>The subject's snapshot as the silo's grain storage holds it, or null when none was written.</summary>
    public async Task<SubjectSnapshot?> StoredSnapshotAsync(string enterprise)
    {
        var state = await ReadStoredAsync(enterprise);
        return state.RecordExists ? state.State : null;
    }

    /// <summary>
    /// Deletes the subject's stored snapshot, as if its silo had died before writing it: the subject's next activation
    /// starts from nothing while the stream's checkpoint is past what the snapshot held.
    /// </summary>
    public async Task ForgetSnapshotAsync(string enterprise) =>
        await SnapshotStorage.ClearStateAsync(SnapshotState, EnterpriseId(enterprise), await ReadStoredAsync(enterprise));

    /// <summary>
    /// Writes the subject's stored snapshot again unchanged, as another activation would: its storage version moves on,
    /// so an activation that read the previous one can no longer write.
    /// </summary>
    public async Task RewriteSnapshotAsync(string enterprise) =>
        await SnapshotStorage.WriteStateAsync(SnapshotState, EnterpriseId(enterprise), await ReadStoredAsync(enterprise));

    /// <summary>
    /// A new enterprise with two events folded and snapshotted: appended, read until folded, deactivated, and its
    /// snapshot stored.
    /// </summary>
    public async Task<(string Subject, IEnterpriseGrain Grain, CreditEvent[] Events)> SnapshottedEnterpriseAsync(CancellationToken cancellationToken)
    {
        var subject = Records.NewEnterprise();
        var grain = Grains.GetGrain<IEnterpriseGrain>(subject);
        var events = new[] { Records.Licence(subject), Records.GeneralPenalty(subject) };
        await Log.AppendAsync(events, cancellationToken);
        await Eventually.Until(grain.GetViewAsync, v => v?.LastAppliedSequence >= events.Length);
        await Cluster.DeactivateAsync(grain);
        await Eventually.Until(() => StoredSnapshotAsync(subject), s => s is not null);
        return (subject, grain, events);
    }

    private const string SnapshotState = "evaluation";

    private IGrainStorage SnapshotStorage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CreditStorage.StateStorageName);

    private static GrainId EnterpriseId(string enterprise) => GrainId.Create("enterprise", enterprise);

    private async Task<GrainState<SubjectSnapshot>> ReadStoredAsync(string enterprise)
    {
        var state = new GrainState<SubjectSnapshot>(new SubjectSnapshot());
        await SnapshotStorage.ReadStateAsync(SnapshotState, EnterpriseId(enterprise), state);
        return state;
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var configuration = new ConfigurationBuilder().Build();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ICreditEventLog>(Log);
            silo.Services.AddSingleton(Wakeups);
            silo.AddCreditGrid(configuration);

            // Streams are forgotten after a second of silence (default: a minute), so every test also exercises the
            // re-registration of a quiet subject's stream by its next event.
            silo.Services.Configure<CreditLogStreamOptions>(stream => stream.InactivityPeriod = TimeSpan.FromSeconds(1));

            // Snapshots due after 4 events and written within 300 ms, so the snapshot policy is observable in a test.
            silo.Services.Configure<SubjectGrainOptions>(subjects =>
            {
                subjects.SnapshotEvery = SnapshotEvery;
                subjects.SnapshotInterval = SnapshotInterval;
            });
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddCreditGridDomainTypes()));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class GridCollection : ICollectionFixture<GridClusterFixture>
{
    public const string Name = "grid";
}
