using System.Collections.Concurrent;
using CreditGrid.Domain.Events;
using CreditGrid.Storage;
using CreditGrid.Storage.PostgreSql;
using CreditGrid.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static CreditGrid.PostgreSql.Tests.LogTestData;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>The log's append notifications (V011) and the silo's listener that turns them into reader wake-ups.</summary>
public sealed class CreditLogListenerTests(PostgresFixture postgres)
{
    private const int Partitions = 8;
    private static readonly ModuloPartitioner Partitioner = new(Partitions);

    [Fact]
    public async Task An_append_is_announced_only_to_a_partition_whose_reader_asked_and_only_once()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("log_notify", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var log = new PostgresCreditEventLog(dataSource, Partitioner);
        var (first, second) = TwoSubjectsInDifferentPartitions();
        var firstPartition = Partitioner.PartitionOf(SubjectType.Enterprise, first);

        await using var listening = await PostgresFixture.OpenAsync(connectionString, ct);
        var payloads = new ConcurrentQueue<string>();
        listening.Notification += (_, n) => payloads.Enqueue(n.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresCreditLogListener.Channel}", listening))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        // Readers awake: appends announce nothing, so a steady flow never pays for notifications.
        await log.AppendAsync([Penalty(first, "n1"), Reward(first, "n2")], ct);
        Assert.False(await listening.WaitAsync(TimeSpan.FromMilliseconds(300), ct), "an append nobody waited for was announced");

        // The first partition's reader goes quiet: it learns the last position and asks to be woken.
        var last = await log.RequestWakeUpAsync(firstPartition, ct);
        Assert.Equal((await log.ReadPartitionAsync(firstPartition, 0, 100, ct))[^1].Position, last);

        // The next append to both partitions announces only the waiting one, when it commits.
        await log.AppendAsync([Penalty(first, "n3"), Penalty(second, "n4")], ct);
        Assert.True(await listening.WaitAsync(TimeSpan.FromSeconds(10), ct), "no notification for the waiting partition");
        Assert.Equal([firstPartition.ToString(System.Globalization.CultureInfo.InvariantCulture)], payloads);

        // The notice cleared the request: the following append is not announced.
        payloads.Clear();
        await log.AppendAsync([Reward(first, "n5")], ct);
        Assert.False(await listening.WaitAsync(TimeSpan.FromMilliseconds(300), ct), "a second notice without a new request");

        // A rolled-back append (one that failed) announces nothing and leaves the request standing for the next.
        await log.RequestWakeUpAsync(firstPartition, ct);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await using var move = new NpgsqlCommand("UPDATE credit_log_partitions SET last_pos = last_pos + 1 WHERE partition = $1", connection, transaction);
            move.Parameters.Add(new NpgsqlParameter<int> { TypedValue = firstPartition });
            await move.ExecuteNonQueryAsync(ct);
            await transaction.RollbackAsync(ct);
        }

        Assert.False(await listening.WaitAsync(TimeSpan.FromMilliseconds(300), ct), "a rolled-back append was announced");
        await log.AppendAsync([Penalty(first, "n6")], ct);
        Assert.True(await listening.WaitAsync(TimeSpan.FromSeconds(10), ct), "the request did not survive a rolled-back append");
        Assert.Single(payloads);
    }

    [Fact]
    public async Task The_listener_wakes_the_readers_of_the_appended_partition_and_every_reader_when_it_listens_again()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("log_listener", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var log = new PostgresCreditEventLog(dataSource, Partitioner);
        var wakeups = new CreditLogWakeups();
        var woken = new ConcurrentQueue<int>();
        for (var partition = 0; partition < Partitions; partition++)
        {
            var p = partition;
            wakeups.Register(p, () => woken.Enqueue(p));
        }

        using var listener = new PostgresCreditLogListener(connectionString, wakeups, NullLogger<PostgresCreditLogListener>.Instance);
        await listener.StartAsync(ct);
        try
        {
            // Once it listens, every reader is woken for whatever was appended before.
            await WaitForAsync(() => woken.Distinct().Count() == Partitions, "every partition woken once listening");
            woken.Clear();

            var (first, second) = TwoSubjectsInDifferentPartitions();
            await RequestWakeUpsAsync(log, ct);
            await log.AppendAsync([Penalty(first, "w1")], ct);
            await WaitForAsync(() => !woken.IsEmpty, "a wake-up after the append");
            await Task.Delay(200, ct);
            Assert.Equal([Partitioner.PartitionOf(SubjectType.Enterprise, first)], woken.Distinct());

            // The listening connection is cut: the listener connects again and wakes every reader, since appends made
            // in between were announced to nobody.
            woken.Clear();
            var cut = await Databases.ScalarAsync<long>(
                connectionString,
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'creditgrid-log-listener' AND datname = current_database()) t",
                ct);
            Assert.Equal(1, cut);
            await WaitForAsync(() => woken.Distinct().Count() == Partitions, "every partition woken after reconnecting");

            woken.Clear();
            await RequestWakeUpsAsync(log, ct);
            await log.AppendAsync([Penalty(second, "w2")], ct);
            await WaitForAsync(() => woken.Contains(Partitioner.PartitionOf(SubjectType.Enterprise, second)), "a wake-up after reconnecting");
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }

        // Stopped: its connection is closed.
        var listening = await Eventually.Until(
            () => Databases.ScalarAsync<long>(
                connectionString, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'creditgrid-log-listener' AND datname = current_database()", ct),
            count => count == 0);
        Assert.Equal(0L, listening);
    }

    [Fact]
    public async Task The_listening_session_is_unpooled_named_and_ended_by_the_server_when_it_falls_silent()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("log_listen_session", ct);

        var listening = new NpgsqlConnectionStringBuilder(PostgresCreditLogListener.ListeningConnectionString(connectionString));
        Assert.False(listening.Pooling);
        Assert.Equal(PostgresCreditLogListener.KeepAliveSeconds, listening.KeepAlive);
        Assert.True(listening.KeepAlive * 3 < PostgresCreditLogListener.ServerIdleTimeoutSeconds);

        // The server applies the timeout to the session (a live listener's keepalives keep it from firing).
        await using (var connection = new NpgsqlConnection(listening.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var show = new NpgsqlCommand("SELECT current_setting('idle_session_timeout'), current_setting('application_name')", connection);
            await using var reader = await show.ExecuteReaderAsync(ct);
            Assert.True(await reader.ReadAsync(ct));
            Assert.Equal("1min", reader.GetString(0));
            Assert.Equal("creditgrid-log-listener", reader.GetString(1));
        }

        // A timeout the operator already chose is kept, beside the grid's other session options.
        var chosen = new NpgsqlConnectionStringBuilder(PostgresCreditLogListener.ListeningConnectionString(connectionString + ";Options=-c idle_session_timeout=5min"));
        Assert.Contains("idle_session_timeout=5min", chosen.Options, StringComparison.Ordinal);
        Assert.DoesNotContain("=60s", chosen.Options, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keepalives_keep_a_waiting_session_within_the_idle_timeout_and_a_silent_one_is_ended()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("log_listen_idle", ct);

        // The listener's arrangement at a smaller scale: a 1 s keepalive against a 3 s server idle timeout.
        var talking = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 1, Options = "-c idle_session_timeout=3s" };
        await using (var connection = new NpgsqlConnection(talking.ConnectionString))
        {
            await connection.OpenAsync(ct);
            Assert.False(await connection.WaitAsync(TimeSpan.FromSeconds(5), ct));
            await using var alive = new NpgsqlCommand("SELECT 1", connection);
            Assert.Equal(1, await alive.ExecuteScalarAsync(ct));
        }

        // Without keepalives the same wait outlasts the timeout and the server ends the session.
        var silent = new NpgsqlConnectionStringBuilder(talking.ConnectionString) { KeepAlive = 0 };
        await using (var connection = new NpgsqlConnection(silent.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await connection.WaitAsync(TimeSpan.FromSeconds(5), ct);
                await using var gone = new NpgsqlCommand("SELECT 1", connection);
                await gone.ExecuteScalarAsync(ct);
            });
        }
    }

    /// <summary>Every partition's reader has gone quiet and asked to be woken.</summary>
    private static async Task RequestWakeUpsAsync(PostgresCreditEventLog log, CancellationToken ct)
    {
        for (var partition = 0; partition < Partitions; partition++)
        {
            await log.RequestWakeUpAsync(partition, ct);
        }
    }

    private static (string First, string Second) TwoSubjectsInDifferentPartitions()
    {
        const string first = "L-1";
        var firstPartition = Partitioner.PartitionOf(SubjectType.Enterprise, first);
        var second = Enumerable.Range(2, 100).Select(i => $"L-{i}").First(s => Partitioner.PartitionOf(SubjectType.Enterprise, s) != firstPartition);
        return (first, second);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var met = await Eventually.Until(() => Task.FromResult(condition()), done => done, TimeSpan.FromSeconds(15));
        Assert.True(met, $"timed out waiting for {what}");
    }
}
