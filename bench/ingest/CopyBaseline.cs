using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;
using CreditGrid.Grains.Streaming;
using Npgsql;
using NpgsqlTypes;

namespace CreditGrid.Bench.Ingest;

/// <summary>How long the raw COPY of every row took, and each batch's COPY.</summary>
/// <param name="PostgresCpuSeconds">CPU the PostgreSQL server spent during the timed COPYs, when it could be read.</param>
public sealed record CopyResult(TimeSpan Elapsed, IReadOnlyList<double> BatchMilliseconds, long Rows, string Table, double PostgresCpuSeconds = 0);

/// <summary>
/// The floor under the production path: the rows the log would write for the same records (same columns, types,
/// partition, position, subject sequence and JSON payload), binary-COPYed by one writer in the same batches, one
/// transaction each, into a scratch table with the log's two indexes. No HTTP, validation, idempotency keys,
/// counters or grains. The table is dropped afterwards.
/// </summary>
public static class CopyBaseline
{
    private static readonly FrozenDictionary<Type, string> s_eventTypeNames =
        CreditJson.EventDetailTypes.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);

    /// <param name="postgresCpuSeconds">Reads the server's CPU seconds so far, so the baseline's cost per row sits beside the grid's.</param>
    public static async Task<CopyResult> MeasureAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<CreditEvent[]> batches, int partitions, Func<double> postgresCpuSeconds, CancellationToken cancellationToken)
    {
        // Rows are built before the clock starts, like the NDJSON bodies: what is timed is the COPY, not the client's JSON.
        var rows = Rows(batches, partitions);
        var table = "bench_copy_" + Guid.NewGuid().ToString("N")[..8];
        // Derived from the log table itself, so the baseline always has the log's columns, defaults and indexes
        // (primary key (partition, pos) and the subject index), without the partitioning.
        await ExecuteAsync(dataSource, $"CREATE TABLE {table} (LIKE credit_events INCLUDING ALL)", cancellationToken);
        try
        {
            // One untimed batch first so the timed pass measures COPY rather than JIT compilation and connection setup.
            await CopyAsync(dataSource, table, rows[0], cancellationToken);
            await ExecuteAsync(dataSource, $"TRUNCATE {table}", cancellationToken);

            var milliseconds = new double[rows.Length];
            var cpuBefore = postgresCpuSeconds();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < rows.Length; i++)
            {
                var batchStarted = Stopwatch.GetTimestamp();
                await CopyAsync(dataSource, table, rows[i], cancellationToken);
                milliseconds[i] = Stopwatch.GetElapsedTime(batchStarted).TotalMilliseconds;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = postgresCpuSeconds() - cpuBefore;
            var expected = rows.Sum(b => (long)b.Length);
            await using (var count = dataSource.CreateCommand($"SELECT count(*) FROM {table}"))
            {
                var actual = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
                if (actual != expected)
                {
                    throw new BenchmarkFailedException($"The COPY baseline table holds {actual:N0} rows, expected {expected:N0}.");
                }
            }

            return new CopyResult(elapsed, milliseconds, expected, table, cpu);
        }
        finally
        {
            await ExecuteAsync(dataSource, $"DROP TABLE IF EXISTS {table}", CancellationToken.None);
            // Flushes the baseline's dirty pages now, so the grid's ingest that follows does not pay for them.
            await ExecuteAsync(dataSource, "CHECKPOINT", CancellationToken.None);
        }
    }

    private static async Task CopyAsync(NpgsqlDataSource dataSource, string table, Row[] rows, CancellationToken cancellationToken)
    {
        // Same statement shape and writer calls as the log's COPY; outside an explicit transaction each COPY commits on its own.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"""
            COPY {table} (partition, pos, subject_id, subject_seq, subject_type, source_department, record_id,
                          event_type, decision_date, received_at, payload)
            FROM STDIN (FORMAT BINARY)
            """,
            cancellationToken);
        foreach (var row in rows)
        {
            var e = row.Event;
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(row.Partition, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(row.Position, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(e.SubjectId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Sequence, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.SubjectType, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.SourceDepartment, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.RecordId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.EventType, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.DecisionDate, NpgsqlDbType.Date, cancellationToken);
            await importer.WriteAsync(e.ReceivedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(row.Payload, NpgsqlDbType.Json, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static Row[][] Rows(IReadOnlyList<CreditEvent[]> batches, int partitions)
    {
        var partitioner = new CreditLogPartitioner(partitions);
        var lastPosition = new long[partitions];
        var lastSequence = new Dictionary<string, long>(StringComparer.Ordinal);
        return [.. batches.Select(batch => batch.Select(e =>
        {
            var partition = partitioner.PartitionOf(e.SubjectType, e.SubjectId);
            var sequence = lastSequence[e.SubjectId] = lastSequence.GetValueOrDefault(e.SubjectId) + 1;
            var eventType = s_eventTypeNames.TryGetValue(e.Details.GetType(), out var name)
                ? name
                : throw new BenchmarkFailedException($"{e.Details.GetType().Name} is not a registered event kind.");
            return new Row(e, partition, ++lastPosition[partition], sequence, e.SubjectType.ToString(), eventType, JsonSerializer.Serialize(e, CreditJson.Options));
        }).ToArray())];
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record Row(CreditEvent Event, int Partition, long Position, long Sequence, string SubjectType, string EventType, string Payload);
}
