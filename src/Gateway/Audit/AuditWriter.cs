using CreditGrid.Storage.Audit;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Audit;

/// <summary>
/// Drains <see cref="AuditQueue"/> into the <see cref="IAuditStore"/>: whatever has accumulated, up to
/// <see cref="AuditOptions.BatchSize"/> records, per append. A failed append is retried with backoff, keeping the
/// batch, while the queue fills and back-pressure reaches the request path.
/// </summary>
/// <remarks>
/// On shutdown the queue is closed and drained before the writer stops (the web server has stopped taking requests by
/// then: it is the last hosted service to start and the first to stop). Only when the host's shutdown timeout runs out
/// with the store still failing are the remaining records given up, with a critical log line saying how many.
/// A plain hosted service rather than a BackgroundService: the drain must run even when stopping follows starting at
/// once, and BackgroundService does not start its loop at all once its stopping token is cancelled.
/// </remarks>
public sealed partial class AuditWriter(AuditQueue queue, IAuditStore store, IOptions<AuditOptions> options, ILogger<AuditWriter> logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _abandon = new();
    private readonly int _batchSize = options.Value.BatchSize;
    private readonly TimeSpan _flushInterval = options.Value.FlushInterval;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _draining;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _draining = Task.Run(DrainAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_draining is null)
        {
            return;
        }

        await using var giveUp = cancellationToken.Register(_abandon.Cancel);
        try
        {
            await _draining.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout: the drain has been told to give up and logs what it could not write.
        }
    }

    public void Dispose()
    {
        _abandon.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Ends when the queue is closed and empty, or when the store kept failing past the shutdown timeout.</summary>
    private async Task DrainAsync()
    {
        var reader = queue.Reader;
        var batch = new List<AuditEntry>(_batchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (reader.Count < _batchSize && _flushInterval > TimeSpan.Zero && !_stopping.IsCancellationRequested)
            {
                // Let a batch gather; at shutdown the rest is written at once.
                await Task.Delay(_flushInterval, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            while (batch.Count < _batchSize && reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (!await AppendAsync(batch).ConfigureAwait(false))
            {
                LogGivenUp(logger, batch.Count + reader.Count);
                return;
            }

            batch.Clear();
        }
    }

    private async Task<bool> AppendAsync(List<AuditEntry> batch)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.AppendAsync(batch, _abandon.Token).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (!_abandon.IsCancellationRequested)
            {
                LogAppendFailed(logger, ex, batch.Count, attempt, delay.TotalSeconds);
            }
            catch (Exception) when (_abandon.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                await Task.Delay(delay, _abandon.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Appending {Count} audit records failed (attempt {Attempt}); retrying in {DelaySeconds} s")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, int count, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "Shutdown timed out while the audit store was failing; {Count} audit records were not written")]
    private static partial void LogGivenUp(ILogger logger, int count);
}
