using System.Diagnostics;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Security;
using CreditGrid.Storage.Audit;

namespace CreditGrid.Gateway.Audit;

/// <summary>Reads who, for whom and about what from a request: the JWT claims, the route, the audit headers.</summary>
public static class AuditEntries
{
    /// <summary>Claim types as issued (inbound claim mapping is off, so the JWT names arrive unchanged).</summary>
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";
    public const string OrganisationClaim = "uscc";

    public const string PurposeHeader = "X-Purpose";
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>The audit entry of a handled request.</summary>
    /// <param name="outcome">The HTTP status the request is answered with.</param>
    public static AuditEntry From(HttpContext http, string action, int outcome, string? details, DateTimeOffset now)
    {
        var user = http.User;
        var request = http.Request;
        return AuditEntry.Create(
            now,
            user.FindFirst(SubjectClaim)?.Value,
            user.Identity is CallerIdentity caller ? caller.Roles : user.FindAll(RoleClaim).Select(c => c.Value),
            user.FindFirst(OrganisationClaim)?.Value,
            SubjectOf(http),
            request.Headers[PurposeHeader].ToString(),
            action,
            request.Method,
            (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? request.Path.Value ?? "",
            outcome,
            CorrelationOf(http),
            details);
    }

    /// <summary>
    /// The USCC the request concerns: the <c>uscc</c> route value, else a <c>subject</c> query filter. A valid code is
    /// recorded normalised, so one subject's records share one spelling; an invalid one is recorded as sent.
    /// </summary>
    private static string? SubjectOf(HttpContext http)
    {
        if (RouteSubject.Of(http) is { } routed)
        {
            var sent = http.GetRouteValue(RouteSubject.RouteValue) as string;
            return string.IsNullOrWhiteSpace(sent) ? null : routed.Normalised ?? sent;
        }

        // Most audited requests carry no query string; asking for the query would parse and allocate one anyway.
        if (!http.Request.QueryString.HasValue)
        {
            return null;
        }

        var raw = http.Request.Query["subject"].FirstOrDefault();
        return string.IsNullOrWhiteSpace(raw) ? null : Uscc.Validate(raw).Normalised ?? raw;
    }

    private static string CorrelationOf(HttpContext http)
    {
        var given = http.Request.Headers[CorrelationHeader].ToString();
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        return Activity.Current is { } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : http.TraceIdentifier;
    }
}
