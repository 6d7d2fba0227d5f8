using CreditGrid.Domain.Events;
using CreditGrid.Simulator;
using CreditGrid.Storage;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Demo;

/// <summary>
/// Loads a simulated province into the credit-event log at start, then keeps a live trickle of new records, so a
/// newcomer sees a working grid within seconds. Records enter through the log, exactly like submitted ones.
/// </summary>
internal sealed partial class DemoFeed(
    ICreditEventLog log,
    TimeProvider time,
    IOptions<DemoFeedOptions> options,
    ILogger<DemoFeed> logger) : BackgroundService
{
    private const int BatchSize = 5_000;
    private ProvinceSimulator? _province;

    /// <summary>The province being fed, once generated.</summary>
    public ProvinceSimulator? Province => _province;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        var started = time.GetTimestamp();
        _province = new ProvinceSimulator(new ProvinceOptions { Enterprises = settings.Enterprises, GovernmentBodies = settings.GovernmentBodies, Seed = settings.Seed }, time.GetUtcNow());
        var total = 0;
        foreach (var batch in _province.History().Chunk(BatchSize))
        {
            await log.AppendAsync(batch, stoppingToken);
            total += batch.Length;
        }

        LogLoaded(_province.Subjects.Count, total, time.GetElapsedTime(started).TotalSeconds);
        if (settings.TrickleEventsPerSecond <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        var owed = 0.0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            owed += settings.TrickleEventsPerSecond;
            var batch = new List<CreditEvent>();
            for (; owed >= 1; owed--)
            {
                batch.Add(_province.NextLiveEvent());
            }

            if (batch.Count > 0)
            {
                await log.AppendAsync(batch, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo province loaded: {Subjects} subjects, {Records} records in {Seconds:F1} s; live trickle follows")]
    private partial void LogLoaded(int subjects, int records, double seconds);
}
