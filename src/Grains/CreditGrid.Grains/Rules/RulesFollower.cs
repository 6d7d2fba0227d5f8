using CreditGrid.Grains;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Hosting;
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

    // The register's silo may still be starting, or may just have died: a failed refresh is retried at the next tick.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(RefreshAsync, options.Value.RefreshInterval, LogRefreshFailed, stoppingToken);

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
