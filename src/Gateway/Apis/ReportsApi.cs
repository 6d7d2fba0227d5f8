using CreditGrid.Gateway.Audit;
using CreditGrid.Grains.Rules;
using System.Globalization;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Ingest;
using CreditGrid.Domain.Scoring;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Apis;

/// <summary><c>GET /api/v1/enterprises/{uscc}/report.pdf?from=&amp;to=</c>: issues a special credit report (专用信用报告).</summary>
public static class ReportsApi
{
    /// <summary>Default report period, ending today.</summary>
    public const int DefaultYears = 3;

    /// <summary>Longest period one report may cover.</summary>
    public const int MaxYears = 10;

    /// <summary>Maps the report endpoint and returns its group (meant for the enterprise itself, supervisors and admins).</summary>
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/enterprises").WithTags("Credit reports");
        group.MapGet("/{uscc}/report.pdf", IssueAsync)
            .WithSummary("Issues a special credit report as PDF: identity, grade and score at issue, records by field within from..to (default the last three years), a no-violation statement per field without violations, a verification code and the content's SHA-256.")
            .Audited(AuditActions.ReportIssue);
        return group;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> IssueAsync(
        string uscc, string? from, string? to, CreditReportService reports, ActiveRules active, CancellationToken cancellationToken)
    {
        var check = Uscc.Validate(uscc);
        if (!check.IsValid)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid USCC", check.Message, "uscc", check.Failure!.Value.Code());
        }

        var code = check.Normalised!;
        if (check.SubjectType == SubjectType.GovernmentBody)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Not found here", $"{code} is a government body; credit reports are issued for enterprises.", "uscc", "wrong_subject_kind");
        }

        var rules = active.Evaluator.Rules;
        var today = reports.Today(rules);
        var (end, toProblem) = ParseDay("to", to, today);
        if (toProblem is not null)
        {
            return toProblem;
        }

        var (start, fromProblem) = ParseDay("from", from, end.AddYears(-DefaultYears).AddDays(1));
        if (fromProblem is not null)
        {
            return fromProblem;
        }

        if (end > today)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid period", $"to {end:yyyy-MM-dd} is after today.", "to", RejectionReasons.DateInFuture);
        }

        if (start > end)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid period", $"from {start:yyyy-MM-dd} is after to {end:yyyy-MM-dd}.", "from", RejectionReasons.InvalidRange);
        }

        if (start < end.AddYears(-MaxYears) || start < CreditRecordParser.EarliestDecisionDate)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid period", $"A report covers at most {MaxYears} years.", "from", RejectionReasons.InvalidRange);
        }

        var issued = await reports.IssueAsync(code, start, end, cancellationToken);
        if (issued is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Unknown subject", $"No credit record of {code} has been received.", "uscc", "unknown_subject");
        }

        return TypedResults.File(issued.Pdf, "application/pdf", $"credit-report-{code}-{issued.Report.Code}.pdf");
    }

    private static (DateOnly Day, ProblemHttpResult? Problem) ParseDay(string field, string? value, DateOnly fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (fallback, null);
        }

        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? (day, null)
            : (fallback, Problems.Create(StatusCodes.Status400BadRequest, "Invalid date", $"{field} '{value}' is not a date in the form yyyy-MM-dd.", field, RejectionReasons.InvalidDate));
    }
}
