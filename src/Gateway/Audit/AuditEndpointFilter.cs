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
            await AuditRecording.RecordFailureAsync(http, action, ex);
            throw;
        }

        var (status, value) = AuditOutcome.Of(result);
        return await AuditRecording.RecordAsync(http, action, status, describe?.Invoke(http, value))
            ? result
            : AuditRecording.Unavailable(http);
    }
}
