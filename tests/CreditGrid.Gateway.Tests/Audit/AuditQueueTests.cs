using CreditGrid.Gateway.Audit;
using CreditGrid.Storage.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>The queue between requests and the store: batching, back-pressure instead of loss, retries, and the drain at shutdown.</summary>
public sealed class AuditQueueTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFullQueueMakesTheCallerWaitAndThenRefusesButLosesNothingQueued()
    {
        var store = new GatedStore();
        // Long enough that a starved writer still frees room for the waiting caller below before it gives up.
        var (queue, writer) = Create(store, capacity: 2, batchSize: 1, enqueueTimeout: TimeSpan.FromSeconds(1.5));
        await writer.StartAsync(Cancellation);

        // The writer takes the first record and blocks in the store; two more fill the queue.
        Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(1)));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5), Cancellation);
        Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(2)));
        Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(3)));

        var started = TimeProvider.System.GetTimestamp();
        var refused = await queue.EnqueueAsync(AuditChainTests.Entry(4));
        Assert.False(refused);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(1400), "the caller should have waited for room");

        // A caller that waits while room is made gets in.
        var waiting = queue.EnqueueAsync(AuditChainTests.Entry(5)).AsTask();
        await Task.Delay(50, Cancellation);
        Assert.False(waiting.IsCompleted);
        store.Open();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5), Cancellation));

        await writer.StopAsync(Cancellation);
        var kept = await store.Inner.QueryAsync(new AuditQuery(Limit: 10), Cancellation);
        Assert.Equal(["corr-1", "corr-2", "corr-3", "corr-5"], kept.Select(r => r.Entry.CorrelationId));
    }

    [Fact]
    public async Task QueuedRecordsAreAppendedInBatchesAndFlushedOnShutdown()
    {
        var store = new GatedStore();
        var (queue, writer) = Create(store, capacity: 1000, batchSize: 100, enqueueTimeout: TimeSpan.FromSeconds(5));
        await writer.StartAsync(Cancellation);

        for (var n = 1; n <= 350; n++)
        {
            Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(n)));
        }

        store.Open();
        await writer.StopAsync(Cancellation);

        Assert.Equal(350, store.Inner.Count);
        Assert.All(store.BatchSizes, size => Assert.InRange(size, 1, 100));
        Assert.True((await store.Inner.VerifyAsync(Cancellation)).Intact);
        var records = await store.Inner.QueryAsync(new AuditQuery(Limit: 1000), Cancellation);
        Assert.Equal(Enumerable.Range(1, 350).Select(n => $"corr-{n}"), records.Select(r => r.Entry.CorrelationId));
    }

    [Fact]
    public async Task AFailingStoreIsRetriedWithTheSameBatch()
    {
        var store = new GatedStore { FailuresLeft = 2 };
        store.Open();
        var (queue, writer) = Create(store, capacity: 100, batchSize: 100, enqueueTimeout: TimeSpan.FromSeconds(5));
        await writer.StartAsync(Cancellation);

        Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(1)));
        Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(2)));
        await writer.StopAsync(Cancellation);

        Assert.Equal(0, store.FailuresLeft);
        Assert.Equal(2, store.Inner.Count);
    }

    [Fact]
    public async Task ARecordArrivingAfterShutdownIsWrittenDirectly()
    {
        var store = new GatedStore();
        store.Open();
        var (queue, writer) = Create(store, capacity: 10, batchSize: 10, enqueueTimeout: TimeSpan.FromSeconds(5));
        await writer.StartAsync(Cancellation);
        await writer.StopAsync(Cancellation);

        Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(1)));

        Assert.Equal(1, store.Inner.Count);
    }

    [Fact]
    public async Task AnInMemoryStoreHoldsTheRecordWhenEnqueueReturnsWithNoWriterRunning()
    {
        using var store = new InMemoryAuditStore();
        var (queue, _) = Create(store, capacity: 1, batchSize: 1, enqueueTimeout: TimeSpan.FromMilliseconds(50));

        // Three records through a queue of capacity one with no writer: only an inline append can take them all.
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(await queue.EnqueueAsync(AuditChainTests.Entry(i)));
        }

        Assert.Equal(3, store.Count);
        Assert.Equal(0, queue.Pending);
        Assert.True((await store.VerifyAsync(Cancellation)).Intact);
    }

    private static (AuditQueue Queue, AuditWriter Writer) Create(IAuditStore store, int capacity, int batchSize, TimeSpan enqueueTimeout)
    {
        var options = Options.Create(new AuditOptions { QueueCapacity = capacity, BatchSize = batchSize, EnqueueTimeout = enqueueTimeout });
        var queue = new AuditQueue(options, store, NullLogger<AuditQueue>.Instance);
        return (queue, new AuditWriter(queue, store, options, NullLogger<AuditWriter>.Instance));
    }

    /// <summary>An in-memory store whose appends wait until opened, and can fail a number of times first.</summary>
    private sealed class GatedStore : IAuditStore
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public InMemoryAuditStore Inner { get; } = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> BatchSizes { get; } = [];

        public int FailuresLeft { get; set; }

        public void Open() => _open.TrySetResult();

        public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new InvalidOperationException("store unavailable");
            }

            BatchSizes.Add(entries.Count);
            return await Inner.AppendAsync(entries, cancellationToken);
        }

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => Inner.QueryAsync(query, cancellationToken);

        public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) => Inner.VerifyAsync(cancellationToken);
    }
}
