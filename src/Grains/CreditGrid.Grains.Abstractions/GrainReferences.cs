namespace CreditGrid.Grains;

/// <summary>
/// Grain references by string key without Orleans' per-call type resolution. <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c>
/// in Orleans 10.4 resolves the interface's <see cref="GrainInterfaceType"/> by reflecting over its attributes on every
/// call; on a score lookup that cost as much CPU as the grain call it prepares. The mapping from an interface to its
/// grain type is fixed by the code, so it is resolved once per interface here and the reference is built from the
/// resulting <see cref="GrainId"/>.
/// </summary>
public static class GrainReferences
{
    /// <summary>The reference <c>GetGrain&lt;TGrain&gt;(key)</c> would return.</summary>
    public static TGrain Reference<TGrain>(this IGrainFactory grains, string key)
        where TGrain : IGrainWithStringKey
    {
        if (Resolved<TGrain>.Types is { } types)
        {
            return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }

        var reference = grains.GetGrain<TGrain>(key);
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
