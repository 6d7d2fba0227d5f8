using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>
/// The one place the unexpected becomes ProblemDetails: client faults keep their 4xx, an unreachable cluster is a
/// 503 the client may retry, and nothing ever carries a stack trace.
/// </summary>
internal sealed partial class GatewayExceptionHandler(ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled."),
            Orleans.Runtime.OrleansException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The credit grid is temporarily unavailable; retry the request."),
            // A batch is appended in one transaction, and ingest is idempotent, so resubmitting the same batch is always safe.
            Npgsql.NpgsqlException => (StatusCodes.Status503ServiceUnavailable, "Storage unavailable", "The credit-event log is temporarily unavailable and this batch was not acknowledged; resubmit it (records already recorded come back as duplicates)."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "An unexpected error occurred; it has been logged with the trace id."),
        };

        if (status >= 500)
        {
            LogUnhandled(exception, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        // The exception is not handed to the writer, and a client that accepts no JSON still gets problem+json:
        // declining here would pass the exception on to the developer page, stack trace and all.
        await Protection.ProblemWriter.WriteAsync(httpContext, new ProblemDetails { Status = status, Title = title, Detail = detail });
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    private partial void LogUnhandled(Exception exception, string path);
}
