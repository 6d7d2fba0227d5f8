using Npgsql;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>Issued reports in <c>credit_reports</c> (V006); an insert that meets an existing code changes nothing.</summary>
public sealed class PostgresCreditReportRegistry(NpgsqlDataSource dataSource) : ICreditReportRegistry
{
    private const string Columns =
        "code, subject_id, subject_name, subject_type, period_from, period_to, issued_at, grade, score, rules_version, content_sha256, document_sha256";

    public async Task<bool> RegisterAsync(IssuedReport report, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO credit_reports ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (code) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Code });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.SubjectId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)report.SubjectName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.SubjectType });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = report.PeriodFrom });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = report.PeriodTo });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = report.IssuedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Grade });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = report.Score });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.RulesVersion });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.ContentSha256 });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.DocumentSha256 });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IssuedReport?> FindAsync(string code, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM credit_reports WHERE code = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new IssuedReport(
            reader.GetString(0),
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetString(3),
            reader.GetFieldValue<DateOnly>(4),
            reader.GetFieldValue<DateOnly>(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetString(7),
            reader.GetInt32(8),
            reader.GetString(9),
            reader.GetString(10),
            reader.GetString(11));
    }
}
