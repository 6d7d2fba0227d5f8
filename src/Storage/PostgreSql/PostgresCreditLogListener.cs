using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>
/// Listens for the log's append notifications (<see cref="Channel"/>, migration V011) and wakes the readers of the
/// partitions named, so a record appended through any gateway is read at the reader's next poll even when its
/// partition had gone quiet. Only appends that a waiting reader asked for are announced
/// (<see cref="ICreditEventLog.RequestWakeUpAsync"/>).
/// </summary>
/// <remarks>
/// <para>The listening connection is its own, never pooled: <c>LISTEN</c> is session state, and the grid's pool keeps
/// connections as they are when they return (<c>No Reset On Close</c>), so a pooled one would carry the subscription
/// to its next user. Keepalives are on because the connection sits idle in <c>WaitAsync</c> for as long as nobody
/// appends, and a server or network that vanished without closing it would otherwise never be noticed.</para>
/// <para>Losing the connection costs promptness, not records: the readers fall back to their own schedule while it
/// reconnects, and every partition is woken once it listens again, for whatever was appended in between.</para>
/// </remarks>
public sealed partial class PostgresCreditLogListener : BackgroundService
{
    /// <summary>The notification channel; each payload is the number of a partition appended to ("7").</summary>
    public const string Channel = "credit_log_appended";

    /// <summary>Seconds of silence on the listening connection before Npgsql checks it with a keepalive query.</summary>
    public const int KeepAliveSeconds = 10;

    /// <summary>Seconds the server lets the listening session sit silent before it ends it (six missed keepalives).</summary>
    public const int ServerIdleTimeoutSeconds = 60;

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    private readonly string _connectionString;
    private readonly CreditLogWakeups _wakeups;
    private readonly ILogger<PostgresCreditLogListener> _logger;

    public PostgresCreditLogListener(string connectionString, CreditLogWakeups wakeups, ILogger<PostgresCreditLogListener> logger)
    {
        _connectionString = ListeningConnectionString(connectionString);
        _wakeups = wakeups;
        _logger = logger;
    }

    /// <summary>
    /// The grid's connection string made fit for listening: unpooled, with keepalives every
    /// <see cref="KeepAliveSeconds"/>, named <c>creditgrid-log-listener</c> in <c>pg_stat_activity</c>, and with
    /// <c>idle_session_timeout</c> at <see cref="ServerIdleTimeoutSeconds"/> unless the options already set it.
    /// </summary>
    /// <remarks>
    /// PostgreSQL keeps every notification until each listener has read it, and once its queue (8 GB) is full every
    /// notifying transaction fails at commit, which would stop appends. A listener whose process hangs with its socket
    /// still open would hold the queue's tail forever. A live listener is never idle that long, since its keepalives
    /// are statements, so the server's idle timeout ends only a listener that stopped talking.
    /// </remarks>
    public static string ListeningConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = KeepAliveSeconds,
            ApplicationName = "creditgrid-log-listener",
        };
        var options = builder.Options ?? "";
        if (!options.Contains("idle_session_timeout", StringComparison.OrdinalIgnoreCase))
        {
            var timeout = $"-c idle_session_timeout={ServerIdleTimeoutSeconds}s";
            builder.Options = options.Length == 0 ? timeout : options + " " + timeout;
        }

        return builder.ConnectionString;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() =>
                {
                    LogListening(Channel, failures);
                    failures = 0;
                }, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: a connection the stop broke is not an outage to report.
                return;
            }
            catch (Exception exception)
            {
                // Whatever went wrong (server gone, connection cut, authentication), the readers poll meanwhile: retry, and
                // say so once per outage rather than once per attempt.
                var delay = RetryDelays[Math.Min(failures, RetryDelays.Length - 1)];
                if (failures++ == 0)
                {
                    LogLost(exception, Channel, delay.TotalSeconds);
                }

                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(Action listening, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        connection.Notification += (_, notification) => Wake(notification.Payload);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        listening();

        // Appends made while nobody listened (before the first connection, during an outage) were never announced.
        _wakeups.AppendedAnywhere();
        while (true)
        {
            await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Wake(string payload)
    {
        if (int.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            _wakeups.Appended(partition);
        }
        else
        {
            // Not the trigger's format: wake everyone rather than guess.
            _wakeups.AppendedAnywhere();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for credit-log appends on channel {Channel} ({Failures} failed attempts before)")]
    private partial void LogListening(string channel, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not listening for credit-log appends on channel {Channel}; readers fall back to their own schedule; retrying in {DelaySeconds} s, then with backoff")]
    private partial void LogLost(Exception exception, string channel, double delaySeconds);
}
