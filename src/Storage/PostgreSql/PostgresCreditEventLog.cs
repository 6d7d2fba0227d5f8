using System.Collections.Frozen;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>
/// The credit-event log in PostgreSQL (schema <c>deploy/sql/V004__credit_event_log.sql</c>).
/// </summary>
/// <remarks>
/// One transaction per <see cref="AppendAsync"/>:
/// <list type="number">
/// <item>lock the counter rows of the touched partitions <c>FOR UPDATE</c> in ascending order (appends to one
/// partition are serialised, so positions are dense and commit in order; the fixed order rules out deadlocks);</item>
/// <item>look up which idempotency keys already exist (duplicates report their existing sequence);</item>
/// <item>advance the subjects' sequence counters and hand out sequences and positions;</item>
/// <item>insert the new idempotency keys, binary-COPY the new rows, move the partition counters, commit.</item>
/// </list>
/// A key that appears between the lookup and the insert (the same record sent concurrently for a different
/// partition) makes the insert come up short; the whole transaction is then rolled back and retried, so no sequence or
/// position is ever burned.
/// </remarks>
public sealed partial class PostgresCreditEventLog : ICreditEventLog
{
    private const int MaxAttempts = 5;

    private static readonly FrozenDictionary<Type, string> s_eventTypeNames =
        CreditJson.EventDetailTypes.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ICreditLogPartitioner _partitioner;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates the log over <paramref name="dataSource"/>; the schema must already be migrated.</summary>
    public PostgresCreditEventLog(NpgsqlDataSource dataSource, ICreditLogPartitioner partitioner, ILogger<PostgresCreditEventLog>? logger = null)
    {
        _dataSource = dataSource;
        _partitioner = partitioner;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public int PartitionCount => _partitioner.PartitionCount;

    /// <summary>
    /// Creates the partition counter rows for <see cref="PartitionCount"/> partitions if they are missing, and refuses a
    /// log that was created with a different partition count (that would re-partition every subject). Called on first
    /// use; calling it at start-up surfaces a mismatch early.
    /// </summary>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Two logs starting at once with different counts must not both "create" their rows: the table lock makes
            // check-and-create one step. It conflicts with itself and briefly holds up appenders' counter updates, and
            // runs once per process.
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE credit_log_partitions IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
            {
                await lockTable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            long count;
            int max;
            await using (var check = new NpgsqlCommand("SELECT count(*), coalesce(max(partition), -1) FROM credit_log_partitions", connection, transaction))
            await using (var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                count = reader.GetInt64(0);
                max = reader.GetInt32(1);
            }

            if (count == 0)
            {
                await using var create = new NpgsqlCommand(
                    "INSERT INTO credit_log_partitions (partition) SELECT generate_series(0, $1 - 1)",
                    connection,
                    transaction);
                create.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PartitionCount });
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (count != PartitionCount || max != PartitionCount - 1)
            {
                throw new InvalidOperationException(
                    $"The credit-event log in this database has {count} partitions (highest {max}) but {PartitionCount} are configured; " +
                    "changing the partition count would re-partition every subject.");
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<CreditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var batch = PrepareBatch(events);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcomes = await TryAppendAsync(batch, cancellationToken).ConfigureAwait(false);
                if (outcomes is not null)
                {
                    return outcomes;
                }

                LogKeyRace(_logger, attempt);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                && attempt < MaxAttempts)
            {
                // Only possible when two batches carry the same records for different partitions in opposite orders.
                LogRetry(_logger, attempt, ex.SqlState);
            }

            if (attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"Append did not settle after {MaxAttempts} attempts because of concurrent appends of the same records.");
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedCreditEvent>> ReadSubjectAsync(string subjectId, long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        if (maxCount <= 0)
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The subject type, and so the partition, follows from the code itself (the parser derives it the same way),
        // so a replay reads one child table instead of probing every child's subject index.
        var partition = _partitioner.PartitionOf(Uscc.Validate(subjectId).SubjectType ?? SubjectType.Other, subjectId);
        await using var command = new NpgsqlCommand(
            "SELECT subject_seq, payload FROM credit_events WHERE partition = $4 AND subject_id = $1 AND subject_seq > $2 ORDER BY subject_seq LIMIT $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subjectId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });

        var result = new List<LoggedCreditEvent>();
        var expected = Math.Max(0, afterSequence) + 1;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = reader.GetInt64(0);
            if (sequence != expected)
            {
                // Sequences commit in order, so a gap is never expected; stopping keeps "exactly once, in order" even then.
                break;
            }

            result.Add(new LoggedCreditEvent(sequence, Deserialize(reader.GetString(1))));
            expected++;
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PartitionEntry>> ReadPartitionAsync(int partition, long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, PartitionCount);
        if (maxCount <= 0)
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT pos, subject_seq, payload FROM credit_events WHERE partition = $1 AND pos > $2 ORDER BY pos LIMIT $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterPosition });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });

        var result = new List<PartitionEntry>();
        var expected = Math.Max(0, afterPosition) + 1;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var position = reader.GetInt64(0);
            if (position != expected)
            {
                // Never read past a position that is not visible yet: a reader checkpointing the last position it saw
                // would otherwise skip the missing one for good.
                break;
            }

            result.Add(new PartitionEntry(partition, position, new LoggedCreditEvent(reader.GetInt64(1), Deserialize(reader.GetString(2)))));
            expected++;
        }

        return result;
    }

    private Batch PrepareBatch(IReadOnlyList<CreditEvent> events)
    {
        var firstIndex = new Dictionary<(string Department, string RecordId), int>();
        var duplicateOf = new int[events.Count];
        var unique = new List<int>(events.Count);
        var partitions = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} is null.", nameof(events));
            var key = (e.SourceDepartment, e.RecordId);
            if (firstIndex.TryGetValue(key, out var first))
            {
                duplicateOf[i] = first;
                continue;
            }

            firstIndex.Add(key, i);
            duplicateOf[i] = -1;
            unique.Add(i);
            var partition = _partitioner.PartitionOf(e.SubjectType, e.SubjectId);
            if ((uint)partition >= (uint)PartitionCount)
            {
                throw new InvalidOperationException($"The partitioner mapped subject {e.SubjectId} to partition {partition} of {PartitionCount}.");
            }

            partitions[i] = partition;
        }

        return new Batch(events, duplicateOf, unique, partitions);
    }

    /// <summary>One attempt; null when a concurrent append inserted one of the keys first (the caller retries).</summary>
    private async Task<AppendOutcome[]?> TryAppendAsync(Batch batch, CancellationToken cancellationToken)
    {
        var events = batch.Events;
        var outcomes = new AppendOutcome[events.Count];
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var lastPositions = await LockPartitionsAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
        var existing = await ReadExistingKeysAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);

        var fresh = new List<int>(batch.Unique.Count);
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

        if (fresh.Count > 0)
        {
            var sequences = await AllocateSequencesAsync(connection, transaction, events, fresh, cancellationToken).ConfigureAwait(false);
            var positions = new long[events.Count];
            foreach (var i in fresh)
            {
                positions[i] = ++lastPositions[batch.Partitions[i]];
                outcomes[i] = new AppendOutcome(AppendStatus.Accepted, sequences[i]);
            }

            if (!await InsertKeysAsync(connection, transaction, batch, fresh, sequences, positions, cancellationToken).ConfigureAwait(false))
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
        NpgsqlConnection connection, NpgsqlTransaction transaction, Batch batch, CancellationToken cancellationToken)
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
        NpgsqlConnection connection, NpgsqlTransaction transaction, Batch batch, CancellationToken cancellationToken)
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

    /// <summary>Advances each subject's counter by its number of new records and numbers them in input order.</summary>
    private static async Task<long[]> AllocateSequencesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CreditEvent> events, List<int> fresh, CancellationToken cancellationToken)
    {
        // Sorted so two appends that share subjects lock their counter rows in the same order.
        var counts = fresh.GroupBy(i => events[i].SubjectId, StringComparer.Ordinal)
            .Select(g => (Subject: g.Key, Count: (long)g.Count()))
            .OrderBy(x => x.Subject, StringComparer.Ordinal)
            .ToArray();

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO subject_sequences AS s (subject_id, last_seq)
            SELECT subject_id, n FROM unnest($1::text[], $2::bigint[]) AS b(subject_id, n) ORDER BY subject_id COLLATE "C"
            ON CONFLICT (subject_id) DO UPDATE SET last_seq = s.last_seq + excluded.last_seq
            RETURNING subject_id, last_seq
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. counts.Select(c => c.Subject)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. counts.Select(c => c.Count)] });

        var next = new Dictionary<string, long>(counts.Length, StringComparer.Ordinal);
        var countBySubject = counts.ToDictionary(c => c.Subject, c => c.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var subject = reader.GetString(0);
                next[subject] = reader.GetInt64(1) - countBySubject[subject] + 1;
            }
        }

        var sequences = new long[events.Count];
        foreach (var i in fresh)
        {
            sequences[i] = next[events[i].SubjectId]++;
        }

        return sequences;
    }

    private static async Task<bool> InsertKeysAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Batch batch,
        List<int> fresh,
        long[] sequences,
        long[] positions,
        CancellationToken cancellationToken)
    {
        var events = batch.Events;
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO credit_event_keys (source_department, record_id, subject_id, subject_seq, partition, pos)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::integer[], $6::bigint[])
            ON CONFLICT (source_department, record_id) DO NOTHING
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(i => events[i].SourceDepartment)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(i => events[i].RecordId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(i => events[i].SubjectId)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. fresh.Select(i => sequences[i])] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. fresh.Select(i => batch.Partitions[i])] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. fresh.Select(i => positions[i])] });
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return inserted == fresh.Count;
    }

    private static async Task CopyEventsAsync(
        NpgsqlConnection connection, Batch batch, List<int> fresh, long[] sequences, long[] positions, CancellationToken cancellationToken)
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
            await importer.WriteAsync(EventTypeOf(e), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(e.DecisionDate, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
            // timestamptz only takes UTC values; the original offset stays in the payload.
            await importer.WriteAsync(e.ReceivedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(JsonSerializer.Serialize(e, CreditJson.Options), NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
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

    private static string EventTypeOf(CreditEvent e) =>
        s_eventTypeNames.TryGetValue(e.Details.GetType(), out var name)
            ? name
            : throw new InvalidOperationException($"{e.Details.GetType().Name} is not a registered event kind.");

    private static CreditEvent Deserialize(string payload) =>
        JsonSerializer.Deserialize<CreditEvent>(payload, CreditJson.Options)
        ?? throw new InvalidOperationException("A credit_events payload is null.");

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Append attempt {Attempt} raced with a concurrent append of the same records; retrying")]
    private static partial void LogKeyRace(ILogger logger, int attempt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Append attempt {Attempt} failed with SQLSTATE {SqlState}; retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, string sqlState);

    /// <param name="DuplicateOf">Index of the first occurrence of the same key in the batch, or -1.</param>
    /// <param name="Unique">Indexes of first occurrences, in input order.</param>
    private sealed record Batch(IReadOnlyList<CreditEvent> Events, int[] DuplicateOf, List<int> Unique, int[] Partitions);
}
