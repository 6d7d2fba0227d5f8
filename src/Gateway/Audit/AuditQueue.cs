using System.Threading.Channels;
using CreditGrid.Storage.Audit;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Audit;

/// <summary>
/// The request path's side of the audit log: a bounded queue that <see cref="AuditWriter"/> drains in batches, so a
/// request pays for an enqueue, not for a database round trip.
/// </summary>
/// <remarks>
/// A full queue applies back-pressure: the request waits for room rather than losing its record, and after
/// <see cref="AuditOptions.EnqueueTimeout"/> gives up so that the caller can refuse the request instead. The wait
/// ignores the client's cancellation: a client that hangs up has still been served, and its record still counts.
/// Once the writer has begun its final drain at shutdown the queue is closed, and a late record is appended directly.
/// A store that appends in memory (<see cref="IInlineAuditStore"/>, the single-process default) is not queued for at
/// all: the record is chained before the request is answered.
/// </remarks>
public sealed partial class AuditQueue
{
    private readonly Channel<AuditEntry> _channel;
    private readonly IAuditStore _store;
    private readonly IInlineAuditStore? _inline;
    private readonly TimeSpan _enqueueTimeout;
    private readonly ILogger _logger;

    public AuditQueue(IOptions<AuditOptions> options, IAuditStore store, ILogger<AuditQueue> logger)
    {
        var settings = options.Value;
        _channel = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _store = store;
        _inline = store as IInlineAuditStore;
        _enqueueTimeout = settings.EnqueueTimeout;
        _logger = logger;
    }

    internal ChannelReader<AuditEntry> Reader => _channel.Reader;

    /// <summary>Records waiting for the writer.</summary>
    public int Pending => _channel.Reader.Count;

    /// <returns>True once the record is queued (or written); false when the queue stayed full for the enqueue timeout.</returns>
    public async ValueTask<bool> EnqueueAsync(AuditEntry entry)
    {
        if (_inline is not null)
        {
            _inline.Append(entry);
            return true;
        }

        if (_channel.Writer.TryWrite(entry))
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(_enqueueTimeout);
        try
        {
            await _channel.Writer.WriteAsync(entry, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            LogQueueFull(_logger, _enqueueTimeout.TotalSeconds, entry.Action, entry.Route);
            return false;
        }
        catch (ChannelClosedException)
        {
            await _store.AppendAsync([entry], CancellationToken.None).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>No more records are queued; the writer drains what is there and stops.</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    [LoggerMessage(EventId = 1, Level = LogLevel.Error,
        Message = "The audit queue stayed full for {Seconds} s; {Action} on {Route} is refused because its audit record cannot be kept")]
    private static partial void LogQueueFull(ILogger logger, double seconds, string action, string route);
}
