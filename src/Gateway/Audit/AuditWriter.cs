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
/// </remarks>
public sealed partial class AuditWriter(AuditQueue queue, IAuditStore store, IOptions<AuditOptions> options, ILogger<AuditWriter> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _abandon = new();
    private readonly int _batchSize = options.Value.BatchSize;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await using var giveUp = cancellationToken.Register(_abandon.Cancel);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }

    /// <remarks>The stopping token is deliberately not used to end the loop: it ends when the queue is closed and empty.</remarks>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var batch = new List<AuditEntry>(_batchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
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
