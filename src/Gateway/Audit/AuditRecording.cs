using CreditGrid.Gateway.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Audit;

/// <summary>
/// Queues the audit record of a handled request, and the answer given when it cannot be queued. Shared by
/// <see cref="AuditEndpointFilter"/> and the score lookup, which records in its own handler to spare the hottest
/// endpoint the filter pipeline.
/// </summary>
internal static class AuditRecording
{
    /// <summary>False when the queue stayed full: the request must then not be answered (see <see cref="Unavailable"/>).</summary>
    public static ValueTask<bool> RecordAsync(HttpContext http, string action, int status, string? details)
    {
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var entry = AuditEntries.From(http, action, status, details, now);
        return services.GetRequiredService<AuditQueue>().EnqueueAsync(entry);
    }

    /// <summary>Queues the record of a request whose handler threw; the exception handler still answers it.</summary>
    public static ValueTask<bool> RecordFailureAsync(HttpContext http, string action, Exception exception) =>
        RecordAsync(http, action, AuditOutcome.OfException(exception, http), null);

    /// <summary>503 with Retry-After: the request happened but could not be recorded, so it is not answered.</summary>
    public static ProblemHttpResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return Problems.Create(
            StatusCodes.Status503ServiceUnavailable,
            "Audit log unavailable",
            "This request cannot be recorded in the audit log right now, so it is not answered; retry it.",
            reason: "audit_unavailable");
    }
}
