using CreditGrid.Grains;
using CreditGrid.Domain.Scoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.Rules;

/// <summary>
/// Keeps this silo on the province's active rules version by asking the register every
/// <see cref="RulesOptions.RefreshInterval"/> — one small call per silo, however many subjects there are. Subjects
/// then move to the new version on their next touch.
/// </summary>
public sealed partial class RulesFollower(
    IGrainFactory grains,
    ActiveRules active,
    IOptions<RulesOptions> options,
    ILogger<RulesFollower> logger) : BackgroundService
{
    private string? _followedSha256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        do
        {
            try
            {
                await RefreshAsync();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be starting, or the register's silo just died: the next tick retries.
                LogRefreshFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RefreshAsync()
    {
        var activation = await grains.Reference<IRulesGrain>(IRulesGrain.ProvinceKey).GetActiveAsync();
        if (activation is null || activation.Sha256 == _followedSha256)
        {
            return;
        }

        if (activation.Json is null || CreditRules.Parse(activation.Json).Rules is not { } rules)
        {
            LogUnreadable(activation.Version);
            return;
        }

        _followedSha256 = activation.Sha256;
        if (active.Use(rules))
        {
            LogFollowed(activation.Version);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Evaluating with rules version {Version}")]
    private partial void LogFollowed(string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "The active rules version {Version} cannot be read; staying on the current rules")]
    private partial void LogUnreadable(string version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the active rules version; retrying")]
    private partial void LogRefreshFailed(Exception ex);
}
