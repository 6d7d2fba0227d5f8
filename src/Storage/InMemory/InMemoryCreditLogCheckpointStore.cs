using System.Collections.Concurrent;

namespace CreditGrid.Storage.InMemory;

/// <summary>Single-process twin of the checkpoint table; monotonic like the PostgreSQL upsert.</summary>
public sealed class InMemoryCreditLogCheckpointStore : ICreditLogCheckpointStore
{
    private readonly ConcurrentDictionary<(string Provider, int Partition), long> _positions = new();

    public Task<long> LoadAsync(string streamProvider, int partition, CancellationToken cancellationToken = default) =>
        Task.FromResult(_positions.GetValueOrDefault((streamProvider, partition)));

    public Task SaveAsync(string streamProvider, int partition, long position, CancellationToken cancellationToken = default)
    {
        _positions.AddOrUpdate((streamProvider, partition), position, (_, old) => Math.Max(old, position));
        return Task.CompletedTask;
    }
}
