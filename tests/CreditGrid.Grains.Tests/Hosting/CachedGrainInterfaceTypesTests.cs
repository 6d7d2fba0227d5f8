using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.PreCredit;
using CreditGrid.Grains.Subjects;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;
using Orleans.Streams;

namespace CreditGrid.Grains.Tests.Hosting;

/// <summary>The remembered grain interface types: asked first, asked once, and the same answers Orleans gives.</summary>
[Collection(GridCollection.Name)]
public sealed class CachedGrainInterfaceTypesTests(GridClusterFixture grid)
{
    private static readonly Type[] Interfaces =
    [
        typeof(IEnterpriseGrain), typeof(IGovernmentBodyGrain), typeof(ICityGrain), typeof(IPreCreditGrain),
        typeof(IPreCreditFeatureSource), typeof(IManagementGrain),
        // What a subject's stream consumer binds, on every activation: internal to Orleans.
        typeof(IStreamProvider).Assembly.GetType("Orleans.Streams.IStreamConsumerExtension", throwOnError: true)!,
    ];

    private IServiceProvider Silo => grid.Cluster.Silos[0].ServiceProvider;

    [Fact]
    public void A_silo_asks_the_remembered_types_before_any_other_provider()
    {
        Assert.IsType<CachedGrainInterfaceTypes>(Silo.GetServices<IGrainInterfaceTypeProvider>().First());
    }

    [Fact]
    public void Every_interface_resolves_as_Orleans_resolves_it_without_the_cache()
    {
        var others = Silo.GetServices<IGrainInterfaceTypeProvider>().Where(p => p is not CachedGrainInterfaceTypes).ToArray();
        Assert.NotEmpty(others);
        var uncached = new GrainInterfaceTypeResolver(others, Silo.GetRequiredService<TypeConverter>());
        var resolver = Silo.GetRequiredService<GrainInterfaceTypeResolver>();
        foreach (var type in Interfaces)
        {
            Assert.Equal(uncached.GetGrainInterfaceType(type), resolver.GetGrainInterfaceType(type));
        }
    }

    [Fact]
    public void The_other_providers_are_asked_once_per_interface()
    {
        var counting = new CountingProvider();
        var services = new ServiceCollection();
        services.AddSingleton(Silo.GetRequiredService<TypeConverter>());
        services.AddSingleton<IGrainInterfaceTypeProvider>(counting);
        CachedGrainInterfaceTypes.AddTo(services);
        CachedGrainInterfaceTypes.AddTo(services);
        using var provider = services.BuildServiceProvider();
        var providers = provider.GetServices<IGrainInterfaceTypeProvider>().ToArray();
        var resolver = new GrainInterfaceTypeResolver(providers, provider.GetRequiredService<TypeConverter>());

        var first = resolver.GetGrainInterfaceType(typeof(IEnterpriseGrain));
        var again = resolver.GetGrainInterfaceType(typeof(IEnterpriseGrain));
        var other = resolver.GetGrainInterfaceType(typeof(ICityGrain));

        Assert.Equal(2, providers.Length);
        Assert.IsType<CachedGrainInterfaceTypes>(providers[0]);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal([typeof(IEnterpriseGrain), typeof(ICityGrain)], counting.Asked);
    }

    /// <summary>Answers nothing itself (the convention does), and notes every question.</summary>
    private sealed class CountingProvider : IGrainInterfaceTypeProvider
    {
        public List<Type> Asked { get; } = [];

        public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
        {
            Asked.Add(type);
            grainInterfaceType = default;
            return false;
        }
    }
}
