using System.Collections.Concurrent;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;
using CreditGrid.Storage;
using CreditGrid.Storage.PostgreSql;
using CreditGrid.Testing;
using Npgsql;
using static CreditGrid.PostgreSql.Tests.LogTestData;

namespace CreditGrid.PostgreSql.Tests;

public sealed class CreditEventLogTests(PostgresFixture postgres)
{
    private const int Partitions = 8;

    [Fact]
    public async Task Appends_get_dense_subject_sequences_and_partition_positions_and_round_trip()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("log_basic", ct);
        var log = new PostgresCreditEventLog(dataSource, new ModuloPartitioner(Partitions));

        CreditEvent[] batch = [Penalty("A", "r1"), Reward("A", "r2"), Penalty("B", "r3"), Reward("A", "r4")];
        var outcomes = await log.AppendAsync(batch, ct);

        Assert.All(outcomes, o => Assert.Equal(AppendStatus.Accepted, o.Status));
        Assert.Equal([1L, 2L, 1L, 3L], outcomes.Select(o => o.SubjectSequence));

        var history = await log.ReadSubjectAsync("A", 0, 10, ct);
        Assert.Equal([1L, 2L, 3L], history.Select(h => h.SubjectSequence));
        Assert.Equal(Json(batch[0]), Json(history[0].Event));
        Assert.Equal(Json(batch[3]), Json(history[2].Event));
        Assert.Equal([3L], (await log.ReadSubjectAsync("A", 2, 10, ct)).Select(h => h.SubjectSequence));
        Assert.Single(await log.ReadSubjectAsync("A", 0, 1, ct));

        var partition = new ModuloPartitioner(Partitions).PartitionOf(SubjectType.Enterprise, "A");
        var entries = await log.ReadPartitionAsync(partition, 0, 100, ct);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Position));
        Assert.Contains(entries, e => e.Logged.Event.RecordId == "r4" && e.Logged.SubjectSequence == 3);
    }

    [Fact]
    public async Task Resubmission_and_duplicates_within_a_batch_are_reported_with_the_existing_sequence()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("log_idempotent", ct);
        var log = new PostgresCreditEventLog(dataSource, new ModuloPartitioner(Partitions));

        var first = await log.AppendAsync([Penalty("S", "x1"), Penalty("S", "x2")], ct);
        var again = await log.AppendAsync([Penalty("S", "x2"), Penalty("S", "x3"), Penalty("S", "x3"), Penalty("S", "x1")], ct);

        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted], first.Select(o => o.Status));
        Assert.Equal(
            [(AppendStatus.Duplicate, 2L), (AppendStatus.Accepted, 3L), (AppendStatus.Duplicate, 3L), (AppendStatus.Duplicate, 1L)],
            again.Select(o => (o.Status, o.SubjectSequence)));
        Assert.Equal([1L, 2L, 3L], (await log.ReadSubjectAsync("S", 0, 10, ct)).Select(h => h.SubjectSequence));
        Assert.Equal(3L, await CountAsync(dataSource, "SELECT count(*) FROM credit_events", ct));
    }

    [Fact]
    public async Task Concurrent_appends_leave_no_position_or_sequence_holes()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("log_concurrent", ct);
        var partitioner = new ModuloPartitioner(Partitions);
        var log = new PostgresCreditEventLog(dataSource, partitioner);
        var accepted = new ConcurrentBag<string>();

        // Four writers over shared subjects; every record id is also sent by a second writer, so duplicates race too.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            var random = new Random(writer);
            for (var round = 0; round < 25; round++)
            {
                var batch = Enumerable.Range(0, 10)
                    .Select(n => Penalty("subject-" + random.Next(12), $"rec-{(writer / 2)}-{round}-{n}"))
                    .ToArray();
                var outcomes = await log.AppendAsync(batch, ct);
                for (var i = 0; i < batch.Length; i++)
                {
                    if (outcomes[i].Status == AppendStatus.Accepted)
                    {
                        accepted.Add(batch[i].RecordId);
                    }
                }
            }
        }, ct)));

        Assert.Equal(accepted.Count, accepted.Distinct().Count());
        Assert.Equal(2 * 25 * 10, accepted.Count);

        long total = 0;
        for (var p = 0; p < Partitions; p++)
        {
            var entries = await log.ReadPartitionAsync(p, 0, 10_000, ct);
            Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Position));
            total += entries.Count;
        }

        Assert.Equal(accepted.Count, total);
        for (var s = 0; s < 12; s++)
        {
            var history = await log.ReadSubjectAsync("subject-" + s, 0, 10_000, ct);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(h => h.SubjectSequence));
        }
    }

    [Fact]
    public async Task Partition_reads_stop_at_the_first_hole()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("log_hole", ct);
        var partitioner = new ModuloPartitioner(Partitions);
        var log = new PostgresCreditEventLog(dataSource, partitioner);
        await log.AppendAsync([Penalty("H", "h1"), Penalty("H", "h2")], ct);
        var partition = partitioner.PartitionOf(SubjectType.Enterprise, "H");

        // A row two positions ahead stands in for a later position whose predecessor is not visible yet.
        await using (var command = dataSource.CreateCommand(
            "INSERT INTO credit_events SELECT partition, pos + 2, subject_id, subject_seq + 2, subject_type, source_department, record_id || 'x', " +
            "event_type, decision_date, received_at, appended_at, payload FROM credit_events WHERE pos = 2 AND partition = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
            await command.ExecuteNonQueryAsync(ct);
        }

        Assert.Equal([1L, 2L], (await log.ReadPartitionAsync(partition, 0, 10, ct)).Select(e => e.Position));
        Assert.Empty(await log.ReadPartitionAsync(partition, 2, 10, ct));
        Assert.Equal([1L, 2L], (await log.ReadSubjectAsync("H", 0, 10, ct)).Select(e => e.SubjectSequence));
    }

    [Fact]
    public async Task A_log_opened_with_another_partition_count_is_refused()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("log_count", ct);
        await new PostgresCreditEventLog(dataSource, new ModuloPartitioner(Partitions)).EnsureInitializedAsync(ct);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => new PostgresCreditEventLog(dataSource, new ModuloPartitioner(Partitions * 2)).EnsureInitializedAsync(ct));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => new PostgresCreditEventLog(dataSource, new ModuloPartitioner(Partitions / 2)).EnsureInitializedAsync(ct));
    }

    [Fact]
    public async Task The_log_keeps_each_record_as_the_json_it_was_sent_and_audits_can_query_inside_it()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("log_payload", ct);
        var log = new PostgresCreditEventLog(dataSource, new ModuloPartitioner(Partitions));
        var penalty = Penalty("J", "j1");
        await log.AppendAsync([penalty], ct);

        await using var command = dataSource.CreateCommand(
            """
            SELECT pg_typeof(payload)::text, payload::text, payload -> 'details' ->> 'type', payload ->> 'recordId', payload ->> 'legalBasis'
            FROM credit_events WHERE subject_id = 'J'
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        Assert.True(await reader.ReadAsync(ct));

        // Byte for byte what the serializer wrote: members keep their order, so the type discriminator stays first.
        Assert.Equal("json", reader.GetString(0));
        Assert.Equal(Json(penalty), reader.GetString(1));
        Assert.StartsWith("{\"type\":", JsonDocument.Parse(reader.GetString(1)).RootElement.GetProperty("details").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(EventTypes.PenaltyImposed, reader.GetString(2));
        Assert.Equal("j1", reader.GetString(3));

        // Chinese text is stored as UTF-8, not as \u escapes, and reads back as itself inside the server too.
        Assert.Equal(penalty.LegalBasis, reader.GetString(4));
        Assert.Contains(penalty.LegalBasis!, reader.GetString(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoints_never_move_backwards()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = await CreateAsync("log_checkpoints", ct);
        var store = new PostgresCreditLogCheckpointStore(dataSource);

        Assert.Equal(0, await store.LoadAsync("credit", 3, ct));
        await store.SaveAsync("credit", 3, 10, ct);
        await store.SaveAsync("credit", 3, 7, ct);
        await store.SaveAsync("other", 3, 2, ct);

        Assert.Equal(10, await store.LoadAsync("credit", 3, ct));
        Assert.Equal(2, await store.LoadAsync("other", 3, ct));
        await store.SaveAsync("credit", 3, 11, ct);
        Assert.Equal(11, await store.LoadAsync("credit", 3, ct));
    }

    private async Task<NpgsqlDataSource> CreateAsync(string prefix, CancellationToken ct) =>
        NpgsqlDataSource.Create(await postgres.CreateMigratedAsync(prefix, ct));

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static string Json(CreditEvent e) => JsonSerializer.Serialize(e, CreditJson.Options);
}
