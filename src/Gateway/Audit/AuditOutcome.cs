using Microsoft.AspNetCore.Http.Metadata;

namespace CreditGrid.Gateway.Audit;

/// <summary>The status and value an endpoint's result will be answered with, read before the result is written.</summary>
internal static class AuditOutcome
{
    public static (int Status, object? Value) Of(object? result)
    {
        // Results<A, B> wraps the result actually chosen.
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result switch
        {
            IResult typed => (
                (typed as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK,
                (typed as IValueHttpResult)?.Value),
            _ => (StatusCodes.Status200OK, result),
        };
    }

    /// <summary>The status the gateway's exception handler will answer <paramref name="exception"/> with.</summary>
    public static int OfException(Exception exception, HttpContext http) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        OperationCanceledException when http.RequestAborted.IsCancellationRequested => 499,
        Orleans.Runtime.OrleansException or TimeoutException or Npgsql.NpgsqlException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
