using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace CreditGrid.Storage.PreCredit;

/// <summary>
/// Decisions in PostgreSQL with group commit: concurrent <see cref="SaveAsync"/> calls are queued and written by one
/// writer as a single multi-row INSERT per round trip, and each call completes only after that commit. A decision is
/// therefore durable before the bank sees it, while a busy gateway pays one round trip per batch rather than one
/// per decision. A failed batch fails every call in it, so the bank gets an error instead of an unrecorded decision.
/// </summary>
public sealed class PostgresPreCreditDecisionStore : IPreCreditDecisionStore, IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public PostgresPreCreditDecisionStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task SaveAsync(DecisionToStore decision, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(decision, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The decision store is shutting down.");
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async Task<StoredDecision?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT id, bank, enterprise, decided_at, outcome, model_version, document::text FROM precredit_decisions WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDecision(reader, 0) : null;
    }

    // Npgsql writes timestamptz only from UTC offsets; callers may report in China Standard Time.
    public async Task<bool> AddOutcomeAsync(StoredOutcome outcome, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO precredit_outcomes (decision_id, reported_at, status, amount) " +
            "SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM precredit_decisions WHERE id = $1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = outcome.DecisionId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = outcome.ReportedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outcome.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.Amount ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<StoredOutcome>> GetOutcomesAsync(Guid decisionId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT decision_id, reported_at, status, amount FROM precredit_outcomes WHERE decision_id = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = decisionId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<StoredOutcome>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadOutcome(reader, 0));
        }

        return list;
    }

    public async Task RegisterEnterpriseAsync(string enterprise, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO precredit_registrations (enterprise, registered_at) VALUES ($1, $2) ON CONFLICT (enterprise) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = enterprise });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlatformFigures> GetFiguresAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM precredit_registrations),
                   count(*), coalesce(sum(amount), 0)
            FROM (SELECT DISTINCT ON (decision_id) amount FROM precredit_outcomes
                  WHERE status = 'granted' ORDER BY decision_id, seq DESC) granted
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new PlatformFigures(reader.GetInt64(0), reader.GetInt64(1), reader.GetDecimal(2));
    }

    public async IAsyncEnumerable<DecisionWithOutcome> ExportAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT d.id, d.bank, d.enterprise, d.decided_at, d.outcome, d.model_version, d.document::text,
                   o.decision_id, o.reported_at, o.status, o.amount
            FROM precredit_decisions d
            JOIN LATERAL (SELECT * FROM precredit_outcomes WHERE decision_id = d.id ORDER BY seq DESC LIMIT 1) o ON true
            ORDER BY d.decided_at
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new DecisionWithOutcome(ReadDecision(reader, 0), ReadOutcome(reader, 7));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await InsertAsync(batch).ConfigureAwait(false);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    private async Task InsertAsync(List<Pending> batch)
    {
        var sql = new StringBuilder("INSERT INTO precredit_decisions (id, bank, enterprise, decided_at, outcome, model_version, document) VALUES ");
        await using var command = _dataSource.CreateCommand();
        for (var i = 0; i < batch.Count; i++)
        {
            var d = batch[i].Decision;
            var p = i * 7;
            sql.Append(i == 0 ? "" : ", ").Append($"(${p + 1}, ${p + 2}, ${p + 3}, ${p + 4}, ${p + 5}, ${p + 6}, ${p + 7}::jsonb)");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = d.Id });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Bank });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Enterprise });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = d.DecidedAt.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Outcome });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.ModelVersion });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Encoding.UTF8.GetString(d.Document.Span) });
        }

        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static StoredDecision ReadDecision(NpgsqlDataReader reader, int at) => new(
        reader.GetGuid(at),
        reader.GetString(at + 1),
        reader.GetString(at + 2),
        reader.GetFieldValue<DateTimeOffset>(at + 3),
        reader.GetString(at + 4),
        reader.GetString(at + 5),
        reader.GetString(at + 6));

    private static StoredOutcome ReadOutcome(NpgsqlDataReader reader, int at) => new(
        reader.GetGuid(at),
        reader.GetFieldValue<DateTimeOffset>(at + 1),
        reader.GetString(at + 2),
        reader.IsDBNull(at + 3) ? null : reader.GetDecimal(at + 3));

    private sealed record Pending(DecisionToStore Decision, TaskCompletionSource Done);
}
