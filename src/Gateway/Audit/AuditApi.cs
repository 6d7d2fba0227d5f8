using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Storage.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Audit;

/// <summary>
/// Reading the audit log: <c>GET /api/v1/audit</c> (records in ascending sequence, paged with <c>after</c>) and
/// <c>GET /api/v1/audit/verify</c> (the chain check). Both are for administrators; the caller of
/// <see cref="MapAuditApi"/> attaches the authorization policy to the returned group. Reading the log is itself audited.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit");
        group.MapGet("/", QueryAsync)
            .WithSummary("Audit records in ascending sequence (filters: who, role, subject, action, from inclusive, to exclusive; after = last sequence already seen; limit 1–1000, default 100).")
            .Audited(AuditActions.AuditRead);
        group.MapGet("/verify", VerifyAsync)
            .WithSummary("Walks the hash chain from the first record and reports whether it is intact, or the first broken sequence and why.")
            .Audited(AuditActions.AuditVerify);
        return group;
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> QueryAsync(
        IAuditStore store,
        string? who = null,
        string? role = null,
        string? subject = null,
        string? action = null,
        string? from = null,
        string? to = null,
        string? after = null,
        string? limit = null,
        CancellationToken cancellationToken = default)
    {
        var (query, error) = AuditQueryParser.Parse(who, role, subject, action, from, to, after, limit);
        if (error is not null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid audit filter", error.Message, error.Field, error.Reason);
        }

        var records = await store.QueryAsync(query!, cancellationToken);
        return TypedResults.Ok(AuditPage.From(records, query!.Limit));
    }

    public static async Task<Ok<AuditVerification>> VerifyAsync(IAuditStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.VerifyAsync(cancellationToken));
}

/// <summary>One page of audit records.</summary>
/// <param name="Next">The <c>after</c> value of the next page; null when this page was not full, so no more records matched.</param>
public sealed record AuditPage(IReadOnlyList<AuditRecordView> Records, long? Next)
{
    public static AuditPage From(IReadOnlyList<AuditRecord> records, int limit) =>
        new([.. records.Select(AuditRecordView.From)], records.Count == limit && records.Count > 0 ? records[^1].Sequence : null);
}

/// <summary>An audit record as the API shows it; <paramref name="Hash"/> is lower-case hex.</summary>
public sealed record AuditRecordView(
    long Sequence,
    DateTimeOffset Time,
    string Who,
    IReadOnlyList<string> Roles,
    string? Organisation,
    string? Subject,
    string? Purpose,
    string Action,
    string Method,
    string Route,
    int Outcome,
    string CorrelationId,
    string? Details,
    string Hash)
{
    public static AuditRecordView From(AuditRecord record)
    {
        var e = record.Entry;
        return new AuditRecordView(
            record.Sequence, e.Time, e.Who, e.Roles, e.Organisation, e.Subject, e.Purpose, e.Action, e.Method, e.Route,
            e.Outcome, e.CorrelationId, e.Details, Convert.ToHexStringLower(record.Hash));
    }
}
