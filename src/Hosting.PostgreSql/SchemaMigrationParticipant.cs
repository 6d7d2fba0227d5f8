using System.Diagnostics;
using CreditGrid.Storage.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;

namespace CreditGrid.Hosting.PostgreSql;

/// <summary>
/// Migrates the database at the very first silo lifecycle stage, before the membership, reminder and grain-storage
/// providers load their queries from <c>orleansquery</c>. Concurrent silos are serialised by the migrator's lock.
/// </summary>
/// <remarks>
/// Being first, this is also where a silo finds out that PostgreSQL is unreachable. Silos and the database are often
/// started together (compose, a node reboot, a database failover), so an unreachable server is waited for: one warning
/// per attempt, capped exponential backoff, and a clear failure once <paramref name="startupRetry"/> has passed.
/// Errors that waiting cannot fix (bad credentials, a missing database, an edited migration) fail at once.
/// </remarks>
/// <param name="startupRetry">How long to keep trying; <see cref="DefaultStartupRetry"/> when null.</param>
internal sealed partial class SchemaMigrationParticipant(string connectionString, ILoggerFactory loggerFactory, TimeSpan? startupRetry = null)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Configuration key of the time a starting silo waits for PostgreSQL.</summary>
    public const string StartupRetryKey = "CreditGrid:Storage:StartupRetry";

    public static readonly TimeSpan DefaultStartupRetry = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggerFactory.CreateLogger<SchemaMigrationParticipant>();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var limit = startupRetry ?? DefaultStartupRetry;
        // Host and port only: the connection string may carry a password.
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var server = $"{settings.Host}:{settings.Port}";
        var started = Stopwatch.GetTimestamp();
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(connectionString);
                await new SchemaMigrator(dataSource, loggerFactory.CreateLogger<SchemaMigrator>()).MigrateAsync(cancellationToken).ConfigureAwait(false);
                if (attempt > 1)
                {
                    LogReachable(_logger, server, attempt, Stopwatch.GetElapsedTime(started).TotalSeconds);
                }

                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed + delay > limit)
                {
                    LogGaveUp(_logger, server, attempt, elapsed.TotalSeconds, StartupRetryKey, ex.Message);
                    throw new InvalidOperationException(
                        $"PostgreSQL at {server} was unreachable for {elapsed.TotalSeconds:F0} s ({attempt} attempts, limit {StartupRetryKey} = {limit}); " +
                        $"the silo cannot start without it. Last error: {ex.Message}",
                        ex);
                }

                // The message, not the exception: a stack trace per attempt would bury the one line that matters.
                LogUnreachable(_logger, server, attempt, ex.Message, delay.TotalSeconds, (limit - elapsed).TotalSeconds);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "PostgreSQL at {Server} is unreachable (attempt {Attempt}): {Error}. Retrying in {DelaySeconds} s; giving up in {RemainingSeconds:F0} s")]
    private static partial void LogUnreachable(ILogger logger, string server, int attempt, string error, double delaySeconds, double remainingSeconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "PostgreSQL at {Server} is reachable after {Attempt} attempts ({ElapsedSeconds:F1} s)")]
    private static partial void LogReachable(ILogger logger, string server, int attempt, double elapsedSeconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical,
        Message = "PostgreSQL at {Server} is still unreachable after {Attempt} attempts over {ElapsedSeconds:F0} s ({Key}); the silo stops. Last error: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string server, int attempt, double elapsedSeconds, string key, string error);
}
