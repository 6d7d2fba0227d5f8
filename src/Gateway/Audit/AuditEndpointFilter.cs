using CreditGrid.Gateway.Infrastructure;

namespace CreditGrid.Gateway.Audit;

/// <summary>
/// Records one audit entry per request after the handler ran and before the answer is written, so a request is not
/// answered unless its record is at least queued. When the queue stays full, the answer is 503 instead.
/// </summary>
/// <param name="describe">Optional facts for the record's details, from the request and the result's value.</param>
internal sealed class AuditEndpointFilter(string action, Func<HttpContext, object?, string?>? describe) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception ex)
        {
            // Failed attempts are audited too; the exception handler still answers them.
            await RecordAsync(http, AuditOutcome.OfException(ex, http), null);
            throw;
        }

        var (status, value) = AuditOutcome.Of(result);
        if (await RecordAsync(http, status, describe?.Invoke(http, value)))
        {
            return result;
        }

        http.Response.Headers.RetryAfter = "1";
        return Problems.Create(
            StatusCodes.Status503ServiceUnavailable,
            "Audit log unavailable",
            "This request cannot be recorded in the audit log right now, so it is not answered; retry it.",
            reason: "audit_unavailable");
    }

    private ValueTask<bool> RecordAsync(HttpContext http, int status, string? details)
    {
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var entry = AuditEntries.From(http, action, status, details, now);
        return services.GetRequiredService<AuditQueue>().EnqueueAsync(entry);
    }
}
