using Orleans.Runtime;
using Orleans.Storage;

namespace CreditGrid.Hosting.PostgreSql;

/// <summary>
/// Wraps a grain storage so that the state name it receives also names the grain type. The ADO.NET provider keys a
/// record only by service id, state name and grain key: without this, two grain classes with the same key and the
/// same state name (every <c>Grain&lt;TState&gt;</c> uses "state") would read and overwrite one shared record.
/// </summary>
/// <remarks>
/// The grain type is the Orleans <see cref="GrainType"/> (the <c>[GrainType]</c> alias or the class name by
/// convention), not the .NET type name, so a namespace move does not orphan stored state; renaming a grain class
/// without a <c>[GrainType]</c> alias does.
/// </remarks>
public sealed class GrainTypeScopedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    /// <summary>
    /// The name stored for <paramref name="stateName"/> of <paramref name="grainId"/>: <c>grain type|state name</c>.
    /// Backticks (generic grain types) are replaced because the provider rewrites any name containing one as a .NET
    /// generic type name.
    /// </summary>
    public static string ScopedStateName(string stateName, GrainId grainId) =>
        string.Concat(grainId.Type.ToString(), "|", stateName).Replace('`', '~');

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(ScopedStateName(stateName, grainId), grainId, grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ReadStateAsync(ScopedStateName(stateName, grainId), grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(ScopedStateName(stateName, grainId), grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.WriteStateAsync(ScopedStateName(stateName, grainId), grainId, grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(ScopedStateName(stateName, grainId), grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ClearStateAsync(ScopedStateName(stateName, grainId), grainId, grainState, cancellationToken);
}
