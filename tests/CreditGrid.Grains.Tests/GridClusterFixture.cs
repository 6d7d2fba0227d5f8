using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Serialization;
using CreditGrid.Grains.Streaming;
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
        Log = new InMemoryCreditEventLog(new CreditLogPartitioner(16));
    }

    public InMemoryCreditEventLog Log { get; }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var configuration = new ConfigurationBuilder().Build();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ICreditEventLog>(Log);
            silo.AddCreditGrid(configuration);

            // Streams are forgotten after a second of silence (default: a minute), so every test also exercises the
            // re-registration of a quiet subject's stream by its next event.
            silo.Services.Configure<CreditLogStreamOptions>(stream => stream.InactivityPeriod = TimeSpan.FromSeconds(1));
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
