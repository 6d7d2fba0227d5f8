using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>
/// The credit-event log in PostgreSQL (schema <c>deploy/sql/V004__credit_event_log.sql</c>, appended to as
/// <c>V008__sequences_from_the_log.sql</c> describes).
/// </summary>
/// <remarks>
/// One transaction per <see cref="AppendAsync"/> (<see cref="CreditEventAppendAttempt"/>). An attempt that finds a
/// record already in the log, or that deadlocks with an append of the same records for other partitions, is rolled
/// back whole and retried, so no sequence or position is ever burned.
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

        // Most batches carry only new records, so the first attempt lets the key insert find duplicates; once it has
        // found one, later attempts look the keys up first so duplicates report their existing sequence.
        var lookUpKeysFirst = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcomes = await CreditEventAppendAttempt.RunAsync(_dataSource, batch, lookUpKeysFirst, cancellationToken).ConfigureAwait(false);
                if (outcomes is not null)
                {
                    return outcomes;
                }

                LogKnownKeys(_logger, attempt);
                lookUpKeysFirst = true;
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

            result.Add(new LoggedCreditEvent(sequence, Deserialize(reader, 1)));
            expected++;
        }

        return result;
    }

    /// <inheritdoc />
    /// <summary>
    /// Sets the partition's <c>reader_waiting</c> flag and returns its last position in one statement (V011). The
    /// statement waits for an append that holds the counter row, so every record is either at or below the position
    /// returned or announced by the trigger that clears the flag.
    /// </summary>
    public async Task<long> RequestWakeUpAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, PartitionCount);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(
            "UPDATE credit_log_partitions SET reader_waiting = true WHERE partition = $1 RETURNING last_pos");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long last ? last : 0;
    }

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

            result.Add(new PartitionEntry(partition, position, new LoggedCreditEvent(reader.GetInt64(1), Deserialize(reader, 2))));
            expected++;
        }

        return result;
    }

    private AppendBatch PrepareBatch(IReadOnlyList<CreditEvent> events)
    {
        var firstIndex = new Dictionary<(string Department, string RecordId), int>(events.Count);
        var duplicateOf = new int[events.Count];
        var unique = new List<int>(events.Count);
        var partitions = new int[events.Count];
        var eventTypes = new string[events.Count];
        var payloads = new byte[events.Count][];
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
            eventTypes[i] = EventTypeOf(e);
            payloads[i] = JsonSerializer.SerializeToUtf8Bytes(e, CreditJson.Options);
        }

        return new AppendBatch(events, duplicateOf, unique, partitions, eventTypes, payloads);
    }

    private static string EventTypeOf(CreditEvent e) =>
        s_eventTypeNames.TryGetValue(e.Details.GetType(), out var name)
            ? name
            : throw new InvalidOperationException($"{e.Details.GetType().Name} is not a registered event kind.");

    /// <summary>
    /// Parses the row's payload from its UTF-8 text, which is what the JSON reader consumes (reading it as a string would
    /// decode it to UTF-16 only for the serializer to encode it back), copied into a pooled buffer: the event keeps
    /// nothing of it, so an array per record read would be garbage at once.
    /// </summary>
    private static CreditEvent Deserialize(NpgsqlDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        var length = checked((int)stream.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.ReadExactly(buffer, 0, length);
            return JsonSerializer.Deserialize<CreditEvent>(buffer.AsSpan(0, length), CreditJson.Options)
                ?? throw new InvalidOperationException("A credit_events payload is null.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Append attempt {Attempt} met records already in the log; retrying with a key lookup first")]
    private static partial void LogKnownKeys(ILogger logger, int attempt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Append attempt {Attempt} failed with SQLSTATE {SqlState}; retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, string sqlState);
}
