using System.Collections.Concurrent;
using CreditGrid.Domain.Reference;
using CreditGrid.Grains.Subjects;
using Microsoft.Extensions.Logging;

namespace CreditGrid.Grains.Cities;

/// <summary>
/// Sends a subject's summary to the city grains it counts in: its county-level unit and the city-level peer above
/// it (Yangling counts once, as itself). Subjects registered outside Shaanxi's cities and counties roll up nowhere.
/// Summaries are gathered per unit and sent every <see cref="ReportInterval"/> as one message per unit: sending each
/// as it happened cost two messages per folded record, twice the stream's own delivery.
/// </summary>
public sealed partial class CityRollup(IGrainFactory grains, ILogger<CityRollup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>
    /// How long a summary may wait before it is sent. A unit's figures lag the subjects by at most this much; the
    /// subjects themselves answer reads at once.
    /// </summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, string[]> _targets = new(StringComparer.Ordinal);
    private readonly PendingCityReports _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _sending = Task.CompletedTask;

    public IReadOnlyList<string> TargetsFor(string? divisionCode) =>
        divisionCode is null ? [] : _targets.GetOrAdd(divisionCode, ResolveTargets);

    /// <summary>The city-level peer (a prefecture city or Yangling) a subject registered there counts in.</summary>
    public string? CityLevelCodeOf(string? divisionCode) =>
        divisionCode is null ? null : AdministrativeDivisions.CityLevelOf(divisionCode)?.Code;

    /// <summary>
    /// Queues the summary for the subject's units; the fold never waits on an aggregate. A summary still queued when
    /// the silo dies is lost with the subject's activation, which reports again once it is activated elsewhere.
    /// </summary>
    public void Report(string? divisionCode, SubjectSummary summary)
    {
        var targets = TargetsFor(divisionCode);
        if (targets.Count > 0)
        {
            _pending.Add(targets, summary);
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CityRollup), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _sending = Task.Run(SendPeriodicallyAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Sends what is left while the grains can still be called, once the loop has ended.</summary>
    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _sending;
        Send();
    }

    private async Task SendPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(ReportInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                Send();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the final send follows.
        }
    }

    private void Send()
    {
        foreach (var (unit, summaries) in _pending.TakeAll())
        {
            try
            {
                // One-way: a unit that cannot be reached now is reported to again by the subjects' next changes.
                _ = grains.GetGrain<ICityGrain>(unit).ReportManyAsync(summaries);
            }
            catch (Exception ex)
            {
                LogSendFailed(ex, unit, summaries.Length);
            }
        }
    }

    private static string[] ResolveTargets(string code)
    {
        var division = AdministrativeDivisions.Find(code);
        if (division is null || division.Level == DivisionLevel.Province)
        {
            return [];
        }

        var cityLevel = AdministrativeDivisions.CityLevelOf(code);
        return new[] { division.Code, cityLevel?.Code }
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} subject summaries to unit {Unit}")]
    private partial void LogSendFailed(Exception exception, string unit, int count);
}
