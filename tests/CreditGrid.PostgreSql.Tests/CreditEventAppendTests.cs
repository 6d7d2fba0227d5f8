using System.Collections.Concurrent;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;
using CreditGrid.Storage;
using CreditGrid.Storage.Migrations;
using CreditGrid.Storage.PostgreSql;
using CreditGrid.Testing;
using Npgsql;
using static CreditGrid.PostgreSql.Tests.LogTestData;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>
/// The append's invariants where it numbers records from the log itself and finds duplicates by inserting their keys:
/// each record stored once whoever sends it, and no sequence or position burned by an attempt that did not commit.
/// </summary>
public sealed class CreditEventAppendTests(PostgresFixture postgres)
{
    private const int Partitions = 8;

    [Fact]
    public async Task A_resubmitted_batch_is_all_duplicates_with_the_sequences_it_was_given()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("append_resubmit", ct);
        var log = new PostgresCreditEventLog(dataSource, new ModuloPartitioner(Partitions));
        var batch = Enumerable.Range(0, 60).Select(n => Penalty("subject-" + (n % 7), "rec-" + n)).ToArray();

        var first = await log.AppendAsync(batch, ct);
        var again = await log.AppendAsync(batch, ct);

        Assert.All(first, o => Assert.Equal(AppendStatus.Accepted, o.Status));
        Assert.All(again, o => Assert.Equal(AppendStatus.Duplicate, o.Status));
        Assert.Equal(first.Select(o => o.SubjectSequence), again.Select(o => o.SubjectSequence));
        Assert.Equal(60L, await CountAsync(dataSource, "SELECT count(*) FROM credit_events", ct));
        Assert.Equal(60L, await CountAsync(dataSource, "SELECT count(*) FROM credit_event_keys", ct));

        // Payloads go to the server as UTF-8 bytes; they must land as JSON objects that queries can look into.
        Assert.Equal(60L, await CountAsync(dataSource, "SELECT count(*) FROM credit_events WHERE json_typeof(payload) = 'object' AND payload -> 'details' IS NOT NULL", ct));
    }

    [Fact]
    public async Task Gateways_appending_overlapping_batches_at_once_store_each_record_once_with_one_sequence()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("append_gateways", ct);
        var partitioner = new ModuloPartitioner(Partitions);

        // Three gateways, each with its own connection pool, send the same 300 records in differently cut and ordered
        // batches, so every record races with its copies from the other two.
        var answers = new ConcurrentBag<(string RecordId, AppendOutcome Outcome)>();
        var records = Enumerable.Range(0, 300).Select(n => Penalty("subject-" + (n % 23), "rec-" + n)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(gateway => Task.Run(async () =>
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var log = new PostgresCreditEventLog(dataSource, partitioner);
            var order = records.OrderBy(_ => Random.Shared.Next()).ToArray();
            foreach (var batch in order.Chunk(17 + (gateway * 11)))
            {
                var outcomes = await log.AppendAsync(batch, ct);
                for (var i = 0; i < batch.Length; i++)
                {
                    answers.Add((batch[i].RecordId, outcomes[i]));
                }
            }
        }, ct)));

        foreach (var copies in answers.GroupBy(a => a.RecordId))
        {
            Assert.Equal(3, copies.Count());
            Assert.Single(copies, c => c.Outcome.Status == AppendStatus.Accepted);
            Assert.Single(copies.Select(c => c.Outcome.SubjectSequence).Distinct());
        }

        await using var reader = NpgsqlDataSource.Create(connectionString);
        var readLog = new PostgresCreditEventLog(reader, partitioner);
        Assert.Equal(300L, await CountAsync(reader, "SELECT count(*) FROM credit_events", ct));
        for (var s = 0; s < 23; s++)
        {
            var history = await readLog.ReadSubjectAsync("subject-" + s, 0, 1_000, ct);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(h => h.SubjectSequence));
        }

        long total = 0;
        for (var p = 0; p < Partitions; p++)
        {
            var entries = await readLog.ReadPartitionAsync(p, 0, 1_000, ct);
            Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Position));
            total += entries.Count;
        }

        Assert.Equal(300, total);
    }

    [Fact]
    public async Task An_append_that_fails_before_commit_burns_no_sequence_position_or_key()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("append_rollback", ct);
        var partitioner = new ModuloPartitioner(Partitions);
        var log = new PostgresCreditEventLog(dataSource, partitioner);
        await log.AppendAsync([Penalty("P", "p1")], ct);

        // The server refuses one row of the next batch after its keys are in and part of its rows are copied.
        await ExecuteAsync(
            dataSource,
            """
            CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN IF NEW.record_id = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_poison BEFORE INSERT ON credit_events FOR EACH ROW EXECUTE FUNCTION refuse_poison();
            """,
            ct);
        await Assert.ThrowsAsync<PostgresException>(() => log.AppendAsync([Penalty("P", "p2"), Penalty("Q", "q1"), Penalty("P", "poison")], ct));

        var outcomes = await log.AppendAsync([Penalty("P", "p3"), Penalty("P", "p2"), Penalty("Q", "q1")], ct);

        Assert.Equal(
            [(AppendStatus.Accepted, 2L), (AppendStatus.Accepted, 3L), (AppendStatus.Accepted, 1L)],
            outcomes.Select(o => (o.Status, o.SubjectSequence)));
        Assert.Equal([1L, 2L, 3L], (await log.ReadSubjectAsync("P", 0, 10, ct)).Select(h => h.SubjectSequence));
        Assert.Equal(4L, await CountAsync(dataSource, "SELECT count(*) FROM credit_event_keys", ct));
        var partition = partitioner.PartitionOf(SubjectType.Enterprise, "P");
        var entries = await log.ReadPartitionAsync(partition, 0, 10, ct);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Position));
        Assert.Equal(
            (long)entries.Count,
            await CountAsync(dataSource, $"SELECT last_pos FROM credit_log_partitions WHERE partition = {partition}", ct));
    }

    [Fact]
    public async Task A_log_written_before_V008_goes_on_numbering_where_it_stopped()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateUniqueDatabaseAsync("append_v004_data", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, SchemaMigrator.EmbeddedMigrations.Where(m => m.Version < 8)).MigrateAsync(ct);
        var partitioner = new ModuloPartitioner(Partitions);
        await new PostgresCreditEventLog(dataSource, partitioner).EnsureInitializedAsync(ct);

        // What a V004 append left behind: numbered rows, their keys, the subject's counter and the partition's counter.
        var partition = partitioner.PartitionOf(SubjectType.Enterprise, "M");
        CreditEvent[] old = [Penalty("M", "m1"), Reward("M", "m2"), Penalty("M", "m3")];
        for (var i = 0; i < old.Length; i++)
        {
            await using var command = dataSource.CreateCommand(
                """
                INSERT INTO credit_events (partition, pos, subject_id, subject_seq, subject_type, source_department, record_id,
                                           event_type, decision_date, received_at, payload)
                VALUES ($1, $2, 'M', $2, 'Enterprise', $3, $4, 'x', DATE '2025-03-14', now(), $5::jsonb);
                """);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = i + 1 });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = old[i].SourceDepartment });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = old[i].RecordId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(old[i], CreditJson.Options) });
            await command.ExecuteNonQueryAsync(ct);
        }

        await ExecuteAsync(
            dataSource,
            $"""
            INSERT INTO credit_event_keys SELECT source_department, record_id, subject_id, subject_seq, partition, pos FROM credit_events;
            INSERT INTO subject_sequences VALUES ('M', 3);
            UPDATE credit_log_partitions SET last_pos = 3 WHERE partition = {partition};
            """,
            ct);

        Assert.Equal(
            SchemaMigrator.EmbeddedMigrations.Where(m => m.Version >= 8).Select(m => m.Version),
            await new SchemaMigrator(dataSource).MigrateAsync(ct));
        var log = new PostgresCreditEventLog(dataSource, partitioner);
        var outcomes = await log.AppendAsync([Penalty("M", "m4"), Reward("M", "m2")], ct);

        Assert.Equal([(AppendStatus.Accepted, 4L), (AppendStatus.Duplicate, 2L)], outcomes.Select(o => (o.Status, o.SubjectSequence)));
        Assert.Equal([1L, 2L, 3L, 4L], (await log.ReadSubjectAsync("M", 0, 10, ct)).Select(h => h.SubjectSequence));
        Assert.Equal([1L, 2L, 3L, 4L], (await log.ReadPartitionAsync(partition, 0, 10, ct)).Select(e => e.Position));
        Assert.Equal(0L, await CountAsync(dataSource, "SELECT count(*) FROM pg_class WHERE relname = 'subject_sequences'", ct));
    }

    private async Task<NpgsqlDataSource> CreateAsync(string prefix, CancellationToken ct) =>
        NpgsqlDataSource.Create(await postgres.CreateMigratedAsync(prefix, ct));

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
