using Npgsql;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>
/// Stream checkpoints in <c>stream_checkpoints</c>. Saves are a conditional upsert, so a late save from a reader that
/// lost its queue to another silo can never move a checkpoint backwards.
/// </summary>
public sealed class PostgresCreditLogCheckpointStore(NpgsqlDataSource dataSource) : ICreditLogCheckpointStore
{
    /// <inheritdoc />
    public async Task<long> LoadAsync(string streamProvider, int partition, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT pos FROM stream_checkpoints WHERE provider = $1 AND partition = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamProvider });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : 0;
    }

    /// <inheritdoc />
    public async Task SaveAsync(string streamProvider, int partition, long position, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO stream_checkpoints AS c (provider, partition, pos) VALUES ($1, $2, $3)
            ON CONFLICT (provider, partition) DO UPDATE SET pos = excluded.pos, updated_at = now()
            WHERE c.pos < excluded.pos
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamProvider });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
