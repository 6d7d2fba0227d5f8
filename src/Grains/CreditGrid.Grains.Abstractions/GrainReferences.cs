namespace CreditGrid.Grains;

/// <summary>
/// Grain references without Orleans' per-call type resolution. <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c> and
/// <c>AsReference&lt;T&gt;()</c> in Orleans 10.4 resolve the interface's <see cref="GrainInterfaceType"/> by reflecting
/// over its attributes on every call; on a score lookup that cost as much CPU as the grain call it prepares, on a
/// pre-credit decision as much as its model. The mapping from an interface to its grain type is fixed by the code, so
/// it is resolved once per interface here and references are built from the resulting <see cref="GrainId"/>.
/// </summary>
public static class GrainReferences
{
    /// <summary>The reference <c>GetGrain&lt;TGrain&gt;(key)</c> would return.</summary>
    public static TGrain Reference<TGrain>(this IGrainFactory grains, string key)
        where TGrain : IGrainWithStringKey =>
        Resolved<TGrain>.Types is { } types
            ? (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface)
            : Remember(grains.GetGrain<TGrain>(key));

    /// <summary>The reference <c>GetGrain&lt;TGrain&gt;(key)</c> would return.</summary>
    public static TGrain Reference<TGrain>(this IGrainFactory grains, long key)
        where TGrain : IGrainWithIntegerKey =>
        Resolved<TGrain>.Types is { } types
            ? (TGrain)grains.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(key)), types.Interface)
            : Remember(grains.GetGrain<TGrain>(key));

    /// <summary>The same grain addressed through another of its interfaces: what <c>AsReference&lt;TInterface&gt;()</c> returns.</summary>
    public static TInterface As<TInterface>(this IGrainFactory grains, IAddressable grain)
        where TInterface : IAddressable
    {
        if (Resolved<TInterface>.Types is { } types)
        {
            return (TInterface)grains.GetGrain(grain.GetGrainId(), types.Interface);
        }

        var reference = grain.AsReference<TInterface>();
        if (reference is GrainReference { InterfaceType: var interfaceType })
        {
            Resolved<TInterface>.Types = new ResolvedTypes(reference.GetGrainId().Type, interfaceType);
        }

        return reference;
    }

    private static TGrain Remember<TGrain>(TGrain reference)
        where TGrain : IAddressable
    {
        var grainType = reference.GetGrainId().Type;
        // A client that has not yet received the cluster's type map gets a provisional system type: not cached.
        if (!grainType.ToString()!.StartsWith(GrainTypePrefix.SystemPrefix, StringComparison.Ordinal)
            && reference is GrainReference { InterfaceType: var interfaceType })
        {
            Resolved<TGrain>.Types = new ResolvedTypes(grainType, interfaceType);
        }

        return reference;
    }

    private sealed record ResolvedTypes(GrainType Grain, GrainInterfaceType Interface);

    // A reference, so that readers never see a half-written pair.
    private static class Resolved<TGrain>
    {
        public static volatile ResolvedTypes? Types;
    }
}
