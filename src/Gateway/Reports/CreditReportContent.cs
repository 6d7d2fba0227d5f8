using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Gateway.Reports;

/// <summary>
/// Everything a special credit report (专用信用报告) states. The PDF is a rendering of this, and its SHA-256 over the
/// canonical JSON (<see cref="ReportHash"/>) is printed on the report and kept in the registry.
/// </summary>
public sealed record CreditReportContent(
    string VerificationCode,
    DateTimeOffset IssuedAt,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    ReportSubject Subject,
    ReportStanding Standing,
    IReadOnlyList<ReportSection> Sections);

/// <summary>Who the report is about.</summary>
public sealed record ReportSubject(string Uscc, string? Name, SubjectType SubjectType, string? DivisionCode, string? DivisionName, string? CityName);

/// <summary>The composite evaluation at issue.</summary>
public sealed record ReportStanding(CreditGrade Grade, int Score, DateTimeOffset AsOf, string RulesVersion);

/// <summary>One field: its violations in the period (or none), and how many other records it holds.</summary>
/// <param name="StatesViolations">Whether the field is one where the report must say "no violations" when there are none.</param>
public sealed record ReportSection(ReportField Field, string Title, bool StatesViolations, IReadOnlyList<ReportEntry> Violations, int OtherRecords);

/// <summary>One record as the report prints it; free text is already masked.</summary>
public sealed record ReportEntry(string RecordId, DateOnly DecisionDate, string Description, string? DocumentNumber, string SourceDepartment, decimal? Amount);
