using System.Globalization;
using System.Text;
using Npgsql;

namespace CreditGrid.Bench.Ingest;

/// <summary>
/// Where PostgreSQL's time went during the measured ingest, from <c>pg_stat_statements</c>: only when the benchmark
/// asked <c>cluster.sh</c> to preload it (<c>--statements</c>), since the library must be loaded at server start.
/// </summary>
public static class StatementProfile
{
    /// <summary>The server option that loads the extension; tracking costs a little per statement, so it is opt-in.</summary>
    public const string ServerOptions = "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all";

    public static async Task ResetAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using (var create = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reset = dataSource.CreateCommand("SELECT pg_stat_statements_reset()");
        await reset.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statements with the most execution time since the reset, one line each, per record of the run.</summary>
    public static async Task<string> ReportAsync(NpgsqlDataSource dataSource, long records, int top, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT calls, total_exec_time, rows, shared_blks_hit + shared_blks_read + shared_blks_dirtied, wal_bytes,
                   regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC
            LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = top });
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"calls",9} {"total ms",10} {"µs/record",9} {"rows",10} {"blocks",10} {"WAL MiB",8}  statement");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var totalMs = reader.GetDouble(1);
            var query = reader.GetString(5);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {reader.GetInt64(0),9:N0} {totalMs,10:N0} {totalMs * 1000 / records,9:F1} {reader.GetInt64(2),10:N0} {reader.GetInt64(3),10:N0} {reader.GetDecimal(4) / 1_048_576m,8:F1}  {(query.Length > 110 ? query[..110] + "…" : query)}");
        }

        return text.ToString();
    }
}
