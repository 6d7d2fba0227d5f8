using CreditGrid.Gateway.Audit;
using System.Globalization;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Public;
using CreditGrid.Gateway.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Apis;

/// <summary>
/// The anonymous public side: <c>GET /api/v1/public/subjects?q=</c> (信用中国-style lookup) and the confirmation of
/// issued credit reports, <c>GET /api/v1/public/reports/{code}</c> and <c>POST …/{code}/verification</c>.
/// </summary>
public static class PublicApi
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;
    public const int MinNameLength = 2;
    public const int MaxQueryLength = 100;

    /// <summary>Largest PDF accepted for verification; issued reports are far smaller.</summary>
    public const int MaxDocumentBytes = 10 * 1024 * 1024;

    /// <summary>Maps the public endpoints and returns their group, so access policies can be attached in one place.</summary>
    public static RouteGroupBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/public").WithTags("Public");
        group.MapGet("/subjects", SearchAsync)
            .WithSummary("Public lookup by full USCC (exact) or by two or more characters of a name: identity, records in their publicity period, current list memberships; personal data masked, no scores.")
            .Audited(AuditActions.PublicRead);
        group.MapGet("/reports/{code}", GetReportAsync)
            .WithSummary("The registry entry of an issued credit report: subject, period, issue time, grade at issue, content hash and document hash.")
            .Audited(AuditActions.ReportVerify);
        group.MapPost("/reports/{code}/verification", VerifyAsync)
            .WithSummary("Send the report's PDF bytes as the body; answers match when they are exactly the document issued under the code.")
            .Audited(AuditActions.ReportVerify);
        return group;
    }

    public static async Task<Results<Ok<PublicLookupResponse>, ProblemHttpResult>> SearchAsync(string? q, string? limit, PublicLookup lookup, CancellationToken cancellationToken)
    {
        var query = q?.Trim() ?? "";
        if (query.Length == 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Missing query", "q is required: a full USCC or at least two characters of a name.", "q", "required");
        }

        var max = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxLimit))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid limit", $"limit must be an integer from 1 to {MaxLimit}.", "limit", "invalid_range");
        }

        // Eighteen letters and digits can only be meant as a code, so a broken one is reported as such, not searched as a name.
        if (query.Length == 18 && query.All(char.IsAsciiLetterOrDigit))
        {
            var check = Uscc.Validate(query);
            if (!check.IsValid)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "Invalid USCC", check.Message, "q", check.Failure!.Value.Code());
            }

            var subject = await lookup.ByCodeAsync(check.Normalised!, cancellationToken);
            return TypedResults.Ok(new PublicLookupResponse(check.Normalised!, "code", subject is null ? [] : [subject]));
        }

        if (query.Any(char.IsControl))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "q must not contain control characters.", "q", "invalid_value");
        }

        var length = new StringInfo(query).LengthInTextElements;
        if (length < MinNameLength)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Query too short", $"A name query needs at least {MinNameLength} characters.", "q", "too_short");
        }

        if (length > MaxQueryLength)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Query too long", $"q is {length} characters long, the limit is {MaxQueryLength}.", "q", "too_long");
        }

        return TypedResults.Ok(new PublicLookupResponse(query, "name", await lookup.ByNameAsync(query, max, cancellationToken)));
    }

    public static async Task<Results<Ok<PublicReportResponse>, ProblemHttpResult>> GetReportAsync(string code, Storage.ICreditReportRegistry registry, CancellationToken cancellationToken)
    {
        if (VerificationCode.Normalise(code) is not { } normalised)
        {
            return MalformedCode();
        }

        return await registry.FindAsync(normalised, cancellationToken) is { } report
            ? TypedResults.Ok(PublicReportResponse.From(report))
            : UnknownCode(normalised);
    }

    public static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> VerifyAsync(string code, HttpRequest request, CreditReportService reports, CancellationToken cancellationToken)
    {
        if (VerificationCode.Normalise(code) is not { } normalised)
        {
            return MalformedCode();
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxDocumentBytes)
            {
                return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Document too large", $"A report PDF is at most {MaxDocumentBytes} bytes.", "body", "body_too_large");
            }

            body.Write(buffer, 0, read);
        }

        if (body.Length == 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Missing document", "Send the report's PDF bytes as the request body.", "body", "required");
        }

        return await reports.VerifyAsync(normalised, body.GetBuffer().AsMemory(0, (int)body.Length), cancellationToken) is { } outcome
            ? TypedResults.Ok(new VerificationResponse(normalised, outcome.Matches ? "match" : "mismatch", PublicReportResponse.From(outcome.Report)))
            : UnknownCode(normalised);
    }

    private static ProblemHttpResult MalformedCode() =>
        Problems.Create(StatusCodes.Status400BadRequest, "Invalid verification code", "A verification code is 16 characters of 0-9 and A-Z without I, L, O and U, e.g. 7Q2M-K9XD-4TBN-H3WC.", "code", "invalid_value");

    private static ProblemHttpResult UnknownCode(string code) =>
        Problems.Create(StatusCodes.Status404NotFound, "Unknown report", $"No credit report has been issued under {code}.", "code", "unknown_report");
}

/// <summary>An issued report as the public may confirm it.</summary>
public sealed record PublicReportResponse(
    string Code,
    string Uscc,
    string? SubjectName,
    string SubjectType,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    DateTimeOffset IssuedAt,
    string Grade,
    int Score,
    string ContentSha256,
    string DocumentSha256)
{
    public static PublicReportResponse From(Storage.IssuedReport r) =>
        new(r.Code, r.SubjectId, r.SubjectName, r.SubjectType, r.PeriodFrom, r.PeriodTo, r.IssuedAt, r.Grade, r.Score, r.ContentSha256, r.DocumentSha256);
}

/// <summary>The verdict on a submitted document: <c>match</c> or <c>mismatch</c>, with the registered report.</summary>
public sealed record VerificationResponse(string Code, string Result, PublicReportResponse Report);
