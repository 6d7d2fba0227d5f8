using CreditGrid.Storage.Entries;
using Npgsql;
using NpgsqlTypes;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>Entries in <c>grain_entries</c> (V009): one upsert statement per write, the changed entries passed as arrays.</summary>
public sealed class PostgresGrainEntryStore(NpgsqlDataSource dataSource) : IGrainEntryStore
{
    public async Task<IReadOnlyList<GrainEntry>> ReadAsync(string owner, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT entry_key, value FROM grain_entries WHERE owner = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<GrainEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new GrainEntry(reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
        }

        return entries;
    }

    public async Task WriteAsync(string owner, IReadOnlyList<GrainEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var keys = new string[entries.Count];
        var values = new byte[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            (keys[i], values[i]) = (entries[i].Key, entries[i].Value);
        }

        // One statement is one transaction: the batch is written whole or not at all. A key given twice would make
        // ON CONFLICT touch a row twice and fail the statement, so callers pass each key once (a dictionary's keys).
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO grain_entries (owner, entry_key, value)
            SELECT $1, e.entry_key, e.value FROM unnest($2::text[], $3::bytea[]) AS e(entry_key, value)
            ON CONFLICT (owner, entry_key) DO UPDATE SET value = excluded.value
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
