namespace CreditGrid.Storage;

/// <summary>
/// The register of issued special credit reports (专用信用报告): what was issued, about whom, for which period, and
/// the hashes that let anyone confirm a report is genuine and unaltered. Entries are written once and never change.
/// </summary>
public interface ICreditReportRegistry
{
    /// <summary>Records an issued report; false when its verification code is already taken (nothing is written).</summary>
    Task<bool> RegisterAsync(IssuedReport report, CancellationToken cancellationToken = default);

    /// <summary>The report issued under <paramref name="code"/> (normalised form), or null.</summary>
    Task<IssuedReport?> FindAsync(string code, CancellationToken cancellationToken = default);
}

/// <summary>One issued report's metadata.</summary>
/// <param name="Code">Verification code printed on the report (normalised, e.g. <c>7Q2M-K9XD-4TBN-H3WC</c>).</param>
/// <param name="SubjectType">The subject type's name, as the domain spells it.</param>
/// <param name="Grade">Composite grade at issue (A–D).</param>
/// <param name="ContentSha256">Lower-case hex SHA-256 of the report's canonical content, printed on the report.</param>
/// <param name="DocumentSha256">Lower-case hex SHA-256 of the PDF exactly as issued.</param>
public sealed record IssuedReport(
    string Code,
    string SubjectId,
    string? SubjectName,
    string SubjectType,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    DateTimeOffset IssuedAt,
    string Grade,
    int Score,
    string RulesVersion,
    string ContentSha256,
    string DocumentSha256);
