using CreditGrid.Storage.Audit;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>The audit log in PostgreSQL: one chain under concurrent writers, append-only, and tampering found by verification.</summary>
public sealed class AuditLogTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static AuditEntry Entry(string who, int n, string role = "bank", string? subject = null) =>
        AuditEntry.Create(
            T0.AddMinutes(n).AddTicks(1234567),
            who,
            [role, "reader"],
            "11610000MAH10K732H",
            subject ?? $"subject-{n % 7}",
            n % 2 == 0 ? null : "贷款审查 loan review",
            n % 3 == 0 ? "credit.explain" : "credit.read",
            "GET",
            "/api/v1/enterprises/{uscc}",
            n % 5 == 0 ? 404 : 200,
            $"{who}-{n}",
            n % 4 == 0 ? """{"accepted":3}""" : null);

    [Fact]
    public async Task Records_round_trip_exactly_and_the_chain_verifies()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("audit_roundtrip", ct));
        var store = new PostgresAuditStore(dataSource);

        var first = await store.AppendAsync([.. Enumerable.Range(1, 10).Select(n => Entry("alice", n))], ct);
        var second = await store.AppendAsync([.. Enumerable.Range(11, 5).Select(n => Entry("alice", n))], ct);
        var read = await store.QueryAsync(new AuditQuery(Limit: 100), ct);

        Assert.Equal(Enumerable.Range(1, 15).Select(n => (long)n), read.Select(r => r.Sequence));
        Assert.Equal(first.Concat(second).Select(Flat), read.Select(Flat));
        var sameInMemory = await new InMemoryAuditStore().AppendAsync([.. Enumerable.Range(1, 15).Select(n => Entry("alice", n))], ct);
        Assert.Equal(sameInMemory[^1].Hash, read[^1].Hash);
        var verification = await store.VerifyAsync(ct);
        Assert.Equal(new AuditVerification(true, 15, 15, Convert.ToHexStringLower(read[^1].Hash), null, null), verification);
    }

    [Fact]
    public async Task Filters_and_paging_select_what_the_in_memory_store_selects()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("audit_filters", ct));
        var store = new PostgresAuditStore(dataSource);
        var memory = new InMemoryAuditStore();
        AuditEntry[] entries = [.. Enumerable.Range(1, 60).Select(n => Entry(n % 3 == 0 ? "bob" : "alice", n, n % 4 == 0 ? "supervisor" : "bank"))];
        await store.AppendAsync(entries, ct);
        await memory.AppendAsync(entries, ct);

        AuditQuery[] queries =
        [
            new(Who: "bob"),
            new(Role: "supervisor"),
            new(Role: "reader", Limit: 7, After: 20),
            new(Subject: "subject-3", Action: "credit.read"),
            new(From: T0.AddMinutes(10), To: T0.AddMinutes(20)),
            new(Who: "alice", Role: "supervisor", From: T0.AddMinutes(30), After: 35, Limit: 3),
            new(Who: "nobody"),
        ];
        foreach (var query in queries)
        {
            var expected = (await memory.QueryAsync(query, ct)).Select(r => r.Sequence).ToList();
            Assert.NotEqual(0, expected.Count + (query.Who == "nobody" ? 1 : 0));
            Assert.Equal(expected, (await store.QueryAsync(query, ct)).Select(r => r.Sequence));
        }
    }

    [Fact]
    public async Task Two_concurrent_writers_keep_one_linear_chain()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("audit_concurrent", ct);
        const int Batches = 40;
        const int BatchSize = 25;

        // Two data sources: two gateway processes, each with its own connection pool.
        async Task WriteAsync(string writer)
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var store = new PostgresAuditStore(dataSource);
            for (var b = 0; b < Batches; b++)
            {
                await store.AppendAsync([.. Enumerable.Range(b * BatchSize, BatchSize).Select(n => Entry(writer, n))], ct);
            }
        }

        await Task.WhenAll(Task.Run(() => WriteAsync("gateway-a"), ct), Task.Run(() => WriteAsync("gateway-b"), ct));

        await using var reader = NpgsqlDataSource.Create(connectionString);
        var verifier = await new PostgresAuditStore(reader).VerifyAsync(ct);
        Assert.True(verifier.Intact, $"broken at {verifier.FirstBrokenSequence}: {verifier.Reason}");
        Assert.Equal(2 * Batches * BatchSize, verifier.RecordsChecked);
        foreach (var writer in new[] { "gateway-a", "gateway-b" })
        {
            var mine = await new PostgresAuditStore(reader).QueryAsync(new AuditQuery(Who: writer, Limit: 5000), ct);
            // Each writer's records keep their order, and each batch is contiguous in the chain.
            Assert.Equal(Enumerable.Range(0, Batches * BatchSize).Select(n => $"{writer}-{n}"), mine.Select(r => r.Entry.CorrelationId));
            Assert.All(mine.Chunk(BatchSize), batch => Assert.Equal(batch[0].Sequence + BatchSize - 1, batch[^1].Sequence));
        }

        var interleaved = await new PostgresAuditStore(reader).QueryAsync(new AuditQuery(Limit: 5000), ct);
        Assert.True(interleaved.Select(r => r.Entry.Who).Chunk(BatchSize).Select(c => c[0]).Distinct().Count() == 2);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET outcome = 200 WHERE seq = 2")]
    [InlineData("DELETE FROM audit_log WHERE seq = 3")]
    [InlineData("TRUNCATE audit_log")]
    public async Task Changes_to_stored_records_are_refused(string sql)
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("audit_append_only", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresAuditStore(dataSource);
        await store.AppendAsync([.. Enumerable.Range(1, 5).Select(n => Entry("alice", n))], ct);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, sql, ct));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(5L, await Databases.ScalarAsync<long>(connectionString, "SELECT count(*) FROM audit_log", ct));
        Assert.True((await store.VerifyAsync(ct)).Intact);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET purpose = 'nothing to see' WHERE seq = 7", 7, AuditVerification.HashMismatch)]
    [InlineData("UPDATE audit_log SET recorded_at = recorded_at + interval '1 microsecond' WHERE seq = 4", 4, AuditVerification.HashMismatch)]
    [InlineData("UPDATE audit_log SET roles = ARRAY['reader', 'bank'] WHERE seq = 9", 9, AuditVerification.HashMismatch)]
    [InlineData("DELETE FROM audit_log WHERE seq = 12", 12, AuditVerification.SequenceGap)]
    [InlineData("DELETE FROM audit_log WHERE seq = 20", null, null)]
    public async Task Tampering_with_the_trigger_disabled_is_found_at_the_right_sequence(string tamper, int? brokenAt, string? reason)
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("audit_tamper", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresAuditStore(dataSource);
        await store.AppendAsync([.. Enumerable.Range(1, 20).Select(n => Entry("alice", n))], ct);
        Assert.True((await store.VerifyAsync(ct)).Intact);

        await ExecuteAsync(
            connectionString,
            $"ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; {tamper}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
            ct);
        var verification = await store.VerifyAsync(ct);

        if (brokenAt is null)
        {
            // Cutting off the newest record leaves a shorter intact chain: the last hash, kept elsewhere, is what exposes it.
            Assert.Equal((true, 19L), (verification.Intact, verification.LastSequence));
            return;
        }

        Assert.Equal((false, (long?)brokenAt, reason, brokenAt.Value - 1L), (verification.Intact, verification.FirstBrokenSequence, verification.Reason, verification.LastSequence));
    }

    [Fact]
    public async Task A_rewritten_record_with_a_recomputed_hash_breaks_the_chain_at_the_next_sequence()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateMigratedAsync("audit_forged", ct);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresAuditStore(dataSource);
        var records = await store.AppendAsync([.. Enumerable.Range(1, 10).Select(n => Entry("alice", n))], ct);
        var forged = records[4].Entry with { Who = "nobody" };
        var forgedHash = AuditChain.Hash(records[3].Hash, 5, forged);

        await ExecuteAsync(connectionString, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only", ct);
        await using (var connection = await PostgresFixture.OpenAsync(connectionString, ct))
        await using (var update = new NpgsqlCommand("UPDATE audit_log SET who = $1, hash = $2 WHERE seq = 5", connection))
        {
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "nobody" });
            update.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = forgedHash });
            Assert.Equal(1, await update.ExecuteNonQueryAsync(ct));
        }

        var verification = await store.VerifyAsync(ct);

        Assert.Equal((false, (long?)6, AuditVerification.HashMismatch), (verification.Intact, verification.FirstBrokenSequence, verification.Reason));
    }

    [Fact]
    public async Task A_new_writer_continues_the_stored_chain()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("audit_continue", ct));
        var first = new PostgresAuditStore(dataSource);
        await first.AppendAsync([Entry("alice", 1)], ct);

        // A second store object (another process after a restart) continues from the stored last hash.
        var restarted = new PostgresAuditStore(dataSource);
        var next = await restarted.AppendAsync([Entry("alice", 2), Entry("alice", 3)], ct);

        Assert.Equal([2L, 3L], next.Select(r => r.Sequence));
        Assert.True((await restarted.VerifyAsync(ct)).Intact);
    }

    private static (long, DateTimeOffset, string, string, string?, string?, string?, string, string, string, int, string, string?, string) Flat(AuditRecord r)
    {
        var e = r.Entry;
        return (r.Sequence, e.Time, e.Who, string.Join('|', e.Roles), e.Organisation, e.Subject, e.Purpose, e.Action, e.Method, e.Route, e.Outcome, e.CorrelationId, e.Details, Convert.ToHexString(r.Hash));
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = await PostgresFixture.OpenAsync(connectionString, ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
