using CreditGrid.Domain.Events;
using CreditGrid.Grains.Streaming;
using CreditGrid.Storage;
using CreditGrid.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Streams;

namespace CreditGrid.Grains.Tests.Streaming;

/// <summary>The log-backed stream's receiver, as the pulling agent drives it: one call per poll interval.</summary>
public sealed class CreditLogQueueReceiverTests
{
    /// <summary>A 200 ms idle interval, so ten quiet seconds are a countable number of reads.</summary>
    private static readonly CreditLogStreamOptions Options = new() { Partitions = 1, IdlePollInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task A_partition_quiet_for_a_second_is_read_less_often_and_its_next_record_within_the_idle_interval()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        // Appends to this log are not announced, as when a silo is not listening: the idle interval bounds the wait.
        var log = new CountingLog(new InMemoryCreditEventLog(new CreditLogPartitioner(1)));
        var receiver = await StartReceiverAsync(log, new CreditLogWakeups(), time);

        // Polled every interval as the pulling agent does: ten seconds of silence are 500 polls. The first second
        // reads at every poll (50 reads), the other nine at most every 200 ms (45 reads and the doubling).
        for (var poll = 0; poll < 500; poll++)
        {
            Assert.Empty(await receiver.GetQueueMessagesAsync(100, ct));
            time.Advance(Options.PollInterval);
        }

        Assert.InRange(log.PartitionReads, 90, 110);

        // A record arrives: read no later than the idle interval (plus one poll) after it was appended.
        await log.AppendAsync([Records.Licence(Records.NewEnterprise())], ct);
        var polls = 0;
        IList<IBatchContainer> batch;
        do
        {
            time.Advance(Options.PollInterval);
            batch = await receiver.GetQueueMessagesAsync(100, ct);
            polls++;
        }
        while (batch.Count == 0 && polls < 100);

        Assert.Single(batch);
        Assert.InRange(polls * Options.PollInterval, TimeSpan.Zero, Options.IdlePollInterval + Options.PollInterval);

        // Once events flow, every poll reads again.
        var readsBefore = log.PartitionReads;
        for (var poll = 0; poll < 5; poll++)
        {
            await log.AppendAsync([Records.Licence(Records.NewEnterprise())], ct);
            Assert.Single(await receiver.GetQueueMessagesAsync(100, ct));
            time.Advance(Options.PollInterval);
        }

        Assert.Equal(readsBefore + 5, log.PartitionReads);
    }

    [Fact]
    public async Task An_announced_append_to_a_quiet_partition_is_read_at_the_next_poll()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var wakeups = new CreditLogWakeups();
        var log = new CountingLog(new InMemoryCreditEventLog(new CreditLogPartitioner(1), wakeups));
        var receiver = await StartReceiverAsync(log, wakeups, time);

        for (var poll = 0; poll < 500; poll++)
        {
            await receiver.GetQueueMessagesAsync(100, ct);
            time.Advance(Options.PollInterval);
        }

        // The partition is backed off to its longest wait, and asked the log once to be woken; the append wakes it.
        Assert.Equal(1, log.WakeUpRequests);
        await log.AppendAsync([Records.Licence(Records.NewEnterprise())], ct);
        time.Advance(Options.PollInterval);
        Assert.Single(await receiver.GetQueueMessagesAsync(100, ct));

        // Quiet again: it asks again, once.
        for (var poll = 0; poll < 500; poll++)
        {
            await receiver.GetQueueMessagesAsync(100, ct);
            time.Advance(Options.PollInterval);
        }

        Assert.Equal(2, log.WakeUpRequests);
    }

    [Fact]
    public async Task A_record_committed_just_before_the_wake_up_request_is_read_at_the_next_poll()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();

        // Nothing announces appends to this log: only the position the request returns can tell the reader.
        var log = new CountingLog(new InMemoryCreditEventLog(new CreditLogPartitioner(1)));
        var receiver = await StartReceiverAsync(log, new CreditLogWakeups(), time);
        log.BeforeWakeUpRequest = () => log.AppendAsync([Records.Licence(Records.NewEnterprise())], ct);

        var polls = 0;
        while (log.WakeUpRequests == 0 && polls++ < 500)
        {
            Assert.Empty(await receiver.GetQueueMessagesAsync(100, ct));
            time.Advance(Options.PollInterval);
        }

        Assert.Equal(1, log.WakeUpRequests);
        Assert.Single(await receiver.GetQueueMessagesAsync(100, ct));
    }

    private static async Task<IQueueAdapterReceiver> StartReceiverAsync(ICreditEventLog log, CreditLogWakeups wakeups, TimeProvider time)
    {
        var factory = new CreditLogQueueAdapterFactory("credit", Options, log, new InMemoryCreditLogCheckpointStore(), wakeups, time, NullLoggerFactory.Instance);
        var queue = factory.GetStreamQueueMapper().GetAllQueues().Single();
        var receiver = factory.CreateReceiver(queue);
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        return receiver;
    }

    /// <summary>The in-memory log, counting partition reads.</summary>
    private sealed class CountingLog(ICreditEventLog inner) : ICreditEventLog
    {
        public int PartitionReads { get; private set; }

        public int PartitionCount => inner.PartitionCount;

        public Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<CreditEvent> events, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(events, cancellationToken);

        public Task<IReadOnlyList<LoggedCreditEvent>> ReadSubjectAsync(string subjectId, long afterSequence, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ReadSubjectAsync(subjectId, afterSequence, maxCount, cancellationToken);

        public int WakeUpRequests { get; private set; }

        /// <summary>Runs as a wake-up request reaches the log, as an append committing just before it would.</summary>
        public Func<Task>? BeforeWakeUpRequest { get; set; }

        public async Task<long> RequestWakeUpAsync(int partition, CancellationToken cancellationToken = default)
        {
            WakeUpRequests++;
            if (BeforeWakeUpRequest is { } append)
            {
                BeforeWakeUpRequest = null;
                await append();
            }

            return await inner.RequestWakeUpAsync(partition, cancellationToken);
        }

        public Task<IReadOnlyList<PartitionEntry>> ReadPartitionAsync(int partition, long afterPosition, int maxCount, CancellationToken cancellationToken = default)
        {
            PartitionReads++;
            return inner.ReadPartitionAsync(partition, afterPosition, maxCount, cancellationToken);
        }
    }
}
