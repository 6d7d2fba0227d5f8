using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Serialization;
using CreditGrid.Grains.Streaming;
using CreditGrid.Grains.Subjects;
using CreditGrid.Grains.Time;
using CreditGrid.Storage;
using CreditGrid.Storage.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace CreditGrid.Grains.Tests;

/// <summary>
/// A cluster of its own whose evaluation clock is a <see cref="FakeTimeProvider"/>: tests move credit time across
/// years while Orleans keeps real time. Tests that change province-wide state (the active rules) get one too.
/// </summary>
public abstract class IsolatedGridFixture : IAsyncLifetime
{
    /// <summary>Noon in Xi'an on 1 June 2026, the starting instant of every isolated grid.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(8));

    public InMemoryCreditEventLog Log { get; } = new(new CreditLogPartitioner(16));

    public FakeTimeProvider Clock { get; } = new(Start);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CreditGrid:Rules:RefreshInterval"] = "00:00:00.200" })
            .Build();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ICreditEventLog>(Log);
            silo.Services.AddSingleton(new GridClock(Clock));
            silo.AddCreditGrid(configuration);

            // One silo, as in the single-process grid, whose gateway opens the board.
            silo.Services.Configure<ReadBoardOptions>(board => board.Enabled = true);
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddCreditGridDomainTypes()));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class TimeTravelGridFixture : IsolatedGridFixture;

public sealed class RulesGridFixture : IsolatedGridFixture;

[CollectionDefinition(Name)]
public sealed class TimeTravelCollection : ICollectionFixture<TimeTravelGridFixture>
{
    public const string Name = "time-travel";
}

[CollectionDefinition(Name)]
public sealed class RulesCollection : ICollectionFixture<RulesGridFixture>
{
    public const string Name = "rules";
}
