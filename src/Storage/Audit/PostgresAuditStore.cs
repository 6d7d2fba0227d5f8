using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace CreditGrid.Storage.Audit;

/// <summary>
/// The audit log in PostgreSQL (schema <c>deploy/sql/V005__audit_log.sql</c>): one linear chain shared by every
/// gateway process writing to the database.
/// </summary>
/// <remarks>
/// Each append is one transaction: take the transaction-scoped advisory lock <see cref="AdvisoryLockKey"/>, read the
/// last record's sequence and hash, chain the batch after it, binary-COPY it, commit. The lock serialises writers
/// for the length of one batch, so the chain never forks and the read of the last hash always sees the previous
/// holder's commit (a transaction's rows are visible before its locks are released). The primary key on the sequence
/// is a second guard: a writer that bypassed the lock would fail rather than fork the chain.
/// One chain for all writers was chosen over one chain per writer so that verification and paging need no merge and
/// a missing writer's chain cannot go unnoticed; the lock costs one round trip per batch, not per record.
/// </remarks>
public sealed class PostgresAuditStore(NpgsqlDataSource dataSource) : IAuditStore
{
    /// <summary>Advisory lock key ("CrdGrdAL" as ASCII), shared by every process appending to this database's audit log.</summary>
    public const long AdvisoryLockKey = 0x437264477264414C;

    private const string Columns = "seq, recorded_at, who, roles, organisation, subject, purpose, action, method, route, outcome, correlation_id, details, hash";

    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockChain = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", connection, transaction))
        {
            await lockChain.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long lastSequence = 0;
        var lastHash = AuditChain.GenesisHash.ToArray();
        await using (var last = new NpgsqlCommand("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", connection, transaction))
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lastSequence = reader.GetInt64(0);
                lastHash = reader.GetFieldValue<byte[]>(1);
            }
        }

        var records = AuditChain.Link(lastSequence, lastHash, entries);
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY audit_log ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var record in records)
            {
                await WriteRowAsync(importer, record, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return records;
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand { Connection = connection };

        // Only the filters given become predicates, so the planner sees e.g. "subject = $2 AND seq > $1" and uses the
        // (subject, seq) index, rather than a generic plan over "$2 IS NULL OR subject = $2".
        var sql = new StringBuilder($"SELECT {Columns} FROM audit_log WHERE seq > $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.After });
        AddFilter(command, sql, "who = ", query.Who);
        AddFilter(command, sql, "subject = ", query.Subject);
        AddFilter(command, sql, "action = ", query.Action);
        if (query.Role is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [query.Role] });
            sql.Append(" AND roles @> $").Append(command.Parameters.Count);
        }

        if (query.From is { } from)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
            sql.Append(" AND recorded_at >= $").Append(command.Parameters.Count);
        }

        if (query.To is { } to)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to.ToUniversalTime() });
            sql.Append(" AND recorded_at < $").Append(command.Parameters.Count);
        }

        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        sql.Append(" ORDER BY seq LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();

        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Repeatable read: one snapshot for the whole walk, so appends committing meanwhile cannot look like a gap.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM audit_log ORDER BY seq", connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var verifier = new AuditChainVerifier();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = ReadRecord(reader);
            if (!verifier.Accept(record.Sequence, record.Entry, record.Hash))
            {
                break;
            }
        }

        return verifier.Result();
    }

    private static void AddFilter(NpgsqlCommand command, StringBuilder sql, string predicate, string? value)
    {
        if (value is null)
        {
            return;
        }

        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        sql.Append(" AND ").Append(predicate).Append('$').Append(command.Parameters.Count);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter importer, AuditRecord record, CancellationToken cancellationToken)
    {
        var e = record.Entry;
        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(record.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Who, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Roles.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, e.Organisation, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, e.Subject, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, e.Purpose, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Action, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Method, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Route, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.Outcome, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(e.CorrelationId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(importer, e.Details, cancellationToken).ConfigureAwait(false);
        await importer.WriteAsync(record.Hash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static AuditRecord ReadRecord(NpgsqlDataReader reader)
    {
        var entry = new AuditEntry(
            reader.GetFieldValue<DateTimeOffset>(1),
            reader.GetString(2),
            reader.GetFieldValue<string[]>(3),
            NullableText(reader, 4),
            NullableText(reader, 5),
            NullableText(reader, 6),
            reader.GetString(7),
            reader.GetString(8),
            reader.GetString(9),
            reader.GetInt32(10),
            reader.GetString(11),
            NullableText(reader, 12));
        return new AuditRecord(reader.GetInt64(0), entry, reader.GetFieldValue<byte[]>(13));
    }

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
