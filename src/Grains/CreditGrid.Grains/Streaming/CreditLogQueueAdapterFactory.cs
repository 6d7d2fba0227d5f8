using CreditGrid.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace CreditGrid.Grains.Streaming;

/// <summary>
/// A persistent stream provider whose queues are the partitions of the credit-event log: delivery is
/// at-least-once and rewindable with no second copy of the data. Events enter only through the log, so the
/// adapter is read-only.
/// </summary>
public sealed class CreditLogQueueAdapterFactory : IQueueAdapterFactory, IQueueAdapter
{
    private readonly CreditLogStreamOptions _options;
    private readonly ICreditEventLog _log;
    private readonly ICreditLogCheckpointStore _checkpoints;
    private readonly CreditLogWakeups _wakeups;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;

    public CreditLogQueueAdapterFactory(
        string name,
        CreditLogStreamOptions options,
        ICreditEventLog log,
        ICreditLogCheckpointStore checkpoints,
        CreditLogWakeups wakeups,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        if (log.PartitionCount != options.Partitions)
        {
            throw new InvalidOperationException($"The credit-event log has {log.PartitionCount} partitions but {CreditLogStreamOptions.Section}:Partitions is {options.Partitions}.");
        }

        Name = name;
        _options = options;
        _log = log;
        _checkpoints = checkpoints;
        _wakeups = wakeups;
        _time = time;
        _loggerFactory = loggerFactory;
        _mapper = CreditLogPartitioner.CreateMapper(options.Partitions);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);
    }

    public string Name { get; }

    public bool IsRewindable => true;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public static IQueueAdapterFactory Create(IServiceProvider services, string name) =>
        new CreditLogQueueAdapterFactory(
            name,
            services.GetRequiredService<IOptions<CreditLogStreamOptions>>().Value,
            services.GetRequiredService<ICreditEventLog>(),
            services.GetRequiredService<ICreditLogCheckpointStore>(),
            services.GetRequiredService<CreditLogWakeups>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(faultOnError: false));

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException("Credit events enter the stream only by being appended to the credit-event log.");

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new CreditLogQueueReceiver(
            (int)queueId.GetNumericId(),
            Name,
            _options.ReadBatchSize,
            _options.CheckpointInterval,
            new IdlePollBackoff(_options.PollInterval, _options.IdlePollInterval, _time),
            _wakeups,
            _log,
            _checkpoints,
            _time,
            _loggerFactory.CreateLogger<CreditLogQueueReceiver>());
}
