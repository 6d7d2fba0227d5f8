using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Storage;

namespace CreditGrid.Grains.Persistence;

/// <summary>
/// Grain state of the single-process grid, kept in this process as serialised bytes. Orleans' memory storage keeps it
/// in storage grains instead, built for clusters of test silos: every read and write is one more grain call, and when
/// the process stops, the subjects' last snapshots are refused because the storage grains can no longer be placed
/// (hundreds of logged failures on every Ctrl-C). Nothing here survives the process, as before.
/// </summary>
/// <remarks>
/// States are stored serialised, so a grain that changes its state after a write does not change what is stored, and
/// a read returns a fresh copy. ETags follow the providers' contract: a write or clear whose ETag is not the stored one
/// fails with <see cref="InconsistentStateException"/>.
/// </remarks>
public sealed class InProcessGrainStorage(IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Stored> _states = new();
    private long _version;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_states.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = serializer.Deserialize<T>(stored.Data);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State);
        var etag = NextETag();
        var key = (stateName, grainId);
        _states.AddOrUpdate(
            key,
            static (_, args) => args.Expected is null ? args.New : throw Conflict(args.Expected, null),
            static (_, current, args) => args.Expected == current.ETag ? args.New : throw Conflict(args.Expected, current.ETag),
            (Expected: grainState.ETag, New: new Stored(data, etag)));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (_states.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag)
            {
                throw Conflict(grainState.ETag, current.ETag);
            }

            // Removed only if nobody wrote in between; otherwise the caller's ETag is stale after all.
            if (!_states.TryRemove(new KeyValuePair<(string, GrainId), Stored>(key, current)))
            {
                throw Conflict(grainState.ETag, null);
            }
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private string NextETag() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);

    private static InconsistentStateException Conflict(string? expected, string? stored) =>
        new($"The stored state changed since it was read (ETag {expected ?? "none"} given, {stored ?? "none"} stored).", stored ?? "", expected ?? "");

    private sealed record Stored(BinaryData Data, string ETag);
}
