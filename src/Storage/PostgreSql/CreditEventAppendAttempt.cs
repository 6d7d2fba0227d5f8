using CreditGrid.Domain.Events;
using Npgsql;
using NpgsqlTypes;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>
/// One transaction of <see cref="PostgresCreditEventLog.AppendAsync"/>: the statements that make a batch durable, in
/// the order that keeps positions and subject sequences dense and committed in order.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Lock the counter rows of the touched partitions <c>FOR UPDATE</c> in ascending order. Appends to one partition
/// are serialised, so its positions are dense and commit in order; the fixed order rules out deadlocks between them.</item>
/// <item>Read each subject's last sequence from the partition's own <c>(subject_id, subject_seq)</c> index. A subject
/// maps to exactly one partition (its type, the partitioner's other input, follows from its code), so the partition
/// lock already serialises every appender of that subject: no separate per-subject counter is needed, and a
/// rolled-back append leaves nothing to undo.</item>
/// <item>Binary-COPY the idempotency keys with their sequences and positions. In the common case (no record seen
/// before) that single statement both claims the keys and proves them new. When a key exists the COPY fails with a
/// unique violation, the attempt reports <see langword="null"/>, the transaction is rolled back, and the next attempt
/// first looks the batch's keys up (<c>lookUpKeysFirst</c>) so duplicates report their existing sequence.</item>
/// <item>Binary-COPY the new rows, move the partition counters, commit.</item>
/// </list>
/// </remarks>
internal static class CreditEventAppendAttempt
{
    /// <summary>One attempt; null when a key turned out to exist already (the caller retries with the lookup first).</summary>
    public static async Task<AppendOutcome[]?> RunAsync(
        NpgsqlDataSource dataSource, AppendBatch batch, bool lookUpKeysFirst, CancellationToken cancellationToken)
    {
        var events = batch.Events;
        var outcomes = new AppendOutcome[events.Count];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var lastPositions = await LockPartitionsAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);

        List<int> fresh;
        if (lookUpKeysFirst)
        {
            var existing = await ReadExistingKeysAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
            fresh = new List<int>(batch.Unique.Count);
            foreach (var i in batch.Unique)
            {
                if (existing.TryGetValue((events[i].SourceDepartment, events[i].RecordId), out var sequence))
                {
                    outcomes[i] = new AppendOutcome(AppendStatus.Duplicate, sequence);
                }
                else
                {
                    fresh.Add(i);
                }
            }
        }
        else
        {
            fresh = batch.Unique;
        }

        if (fresh.Count > 0)
        {
            var sequences = await AllocateSequencesAsync(connection, transaction, batch, fresh, cancellationToken).ConfigureAwait(false);
            var positions = new long[events.Count];
            foreach (var i in fresh)
            {
                positions[i] = ++lastPositions[batch.Partitions[i]];
                outcomes[i] = new AppendOutcome(AppendStatus.Accepted, sequences[i]);
            }

            if (!await CopyKeysAsync(connection, batch, fresh, sequences, positions, cancellationToken).ConfigureAwait(false))
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }

            await CopyEventsAsync(connection, batch, fresh, sequences, positions, cancellationToken).ConfigureAwait(false);
            await UpdateCountersAsync(connection, transaction, lastPositions, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        for (var i = 0; i < events.Count; i++)
        {
            if (batch.DuplicateOf[i] >= 0)
            {
                outcomes[i] = new AppendOutcome(AppendStatus.Duplicate, outcomes[batch.DuplicateOf[i]].SubjectSequence);
            }
        }

        return outcomes;
    }

    private static async Task<Dictionary<int, long>> LockPartitionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AppendBatch batch, CancellationToken cancellationToken)
    {
        var touched = batch.Unique.Select(i => batch.Partitions[i]).Distinct().Order().ToArray();

        // LockRows sits above the sort, so rows are locked in ascending partition order by every appender.
        await using var command = new NpgsqlCommand(
            "SELECT partition, last_pos FROM credit_log_partitions WHERE partition = ANY($1) ORDER BY partition FOR UPDATE",
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = touched });
        var lastPositions = new Dictionary<int, long>(touched.Length);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lastPositions.Add(reader.GetInt32(0), reader.GetInt64(1));
            }
        }

        if (lastPositions.Count != touched.Length)
        {
            throw new InvalidOperationException("Partition counter rows are missing; was the log initialised for this partition count?");
        }

        return lastPositions;
    }

    private static async Task<Dictionary<(string, string), long>> ReadExistingKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AppendBatch batch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT k.source_department, k.record_id, k.subject_seq
            FROM unnest($1::text[], $2::text[]) AS b(source_department, record_id)
            JOIN credit_event_keys k ON k.source_department = b.source_department AND k.record_id = b.record_id
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Unique.Select(i => batch.Events[i].SourceDepartment)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Unique.Select(i => batch.Events[i].RecordId)] });

        var existing = new Dictionary<(string, string), long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            existing[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return existing;
    }

    /// <summary>
    /// Numbers each subject's new records in input order after the subject's last committed sequence, read from its
    /// partition's subject index while that partition's counter row is locked by this transaction.
    /// </summary>
    private static async Task<long[]> AllocateSequencesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AppendBatch batch, List<int> fresh, CancellationToken cancellationToken)
    {
        var events = batch.Events;
        var partitionOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in fresh)
        {
            partitionOf.TryAdd(events[i].SubjectId, batch.Partitions[i]);
        }

        // The partition is a parameter of each probe, so run-time pruning reads one child's index per subject.
        await using var command = new NpgsqlCommand(
            """
            SELECT b.subject_id,
                   (SELECT e.subject_seq FROM credit_events e
                    WHERE e.partition = b.partition AND e.subject_id = b.subject_id
                    ORDER BY e.subject_seq DESC LIMIT 1)
            FROM unnest($1::text[], $2::integer[]) AS b(subject_id, partition)
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. partitionOf.Keys] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. partitionOf.Values] });

        var next = new Dictionary<string, long>(partitionOf.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                next[reader.GetString(0)] = (reader.IsDBNull(1) ? 0 : reader.GetInt64(1)) + 1;
            }
        }

        var sequences = new long[events.Count];
        foreach (var i in fresh)
        {
            sequences[i] = next[events[i].SubjectId]++;
        }

        return sequences;
    }

    /// <summary>
    /// Binary-COPYs the idempotency keys with their sequences and positions. A plain insert, not <c>INSERT … ON CONFLICT
    /// DO NOTHING</c>: a speculative insert costs PostgreSQL about half as much again per key (measured 22 against
    /// 15 µs per row into the 16 hash partitions), and almost every batch is new records. A key that exists, or that a
    /// concurrent append is committing, stops the COPY with a unique violation, which aborts this attempt exactly as a
    /// short insert count did.
    /// </summary>
    /// <returns>False when some key already existed, so nothing of this attempt may be committed.</returns>
    private static async Task<bool> CopyKeysAsync(
        NpgsqlConnection connection,
        AppendBatch batch,
        List<int> fresh,
        long[] sequences,
        long[] positions,
        CancellationToken cancellationToken)
    {
        var events = batch.Events;
        try
        {
            await using var importer = await connection.BeginBinaryImportAsync(
                "COPY credit_event_keys (source_department, record_id, subject_id, subject_seq, partition, pos) FROM STDIN (FORMAT BINARY)",
                cancellationToken).ConfigureAwait(false);
            foreach (var i in fresh)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(events[i].SourceDepartment, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(events[i].RecordId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(events[i].SubjectId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(sequences[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(batch.Partitions[i], NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(positions[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    private static async Task CopyEventsAsync(
        NpgsqlConnection connection, AppendBatch batch, List<int> fresh, long[] sequences, long[] positions, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            """
            COPY credit_events (partition, pos, subject_id, subject_seq, subject_type, source_department, record_id,
                                event_type, decision_date, received_at, payload)
            FROM STDIN (FORMAT BINARY)
            """,
            cancellationToken).ConfigureAwait(false);
        foreach (var i in fresh)
        {
            var e = batch.Events[i];
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(batch.Partitions[i], NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(positions[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.SubjectId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(sequences[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.SubjectType.ToString(), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.SourceDepartment, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.RecordId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(batch.EventTypes[i], NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.DecisionDate, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
            // timestamptz only takes UTC values; the original offset stays in the payload.
            await importer.WriteAsync(e.ReceivedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(batch.Payloads[i], NpgsqlDbType.Json, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpdateCountersAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<int, long> lastPositions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE credit_log_partitions c SET last_pos = u.last_pos
            FROM unnest($1::integer[], $2::bigint[]) AS u(partition, last_pos)
            WHERE c.partition = u.partition
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. lastPositions.Keys] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. lastPositions.Values] });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
