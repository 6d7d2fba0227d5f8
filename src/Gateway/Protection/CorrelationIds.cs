using System.Buffers;
using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Gateway.Protection;

/// <summary>
/// Every request gets a correlation id: the caller's <c>X-Correlation-Id</c> when it is a sane token, else a new one.
/// It is echoed on every response and carried by every ProblemDetails, so a refusal can be found in the logs.
/// </summary>
public static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";
    public const int MaxLength = 128;

    private static readonly object ItemKey = new();
    private static readonly SearchValues<char> Allowed = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:");

    /// <summary>Accepted only when short and made of letters, digits and <c>-_.:</c>: the id is written to logs and headers.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The request's correlation id (the trace identifier if the middleware has not run).</summary>
    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? context.TraceIdentifier;

    /// <summary>Runs first, so that even answers written by the exception handler carry the header.</summary>
    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var incoming = context.Request.Headers[Header].ToString();
            var id = IsValid(incoming) ? incoming : RandomGuids.NewVersion4().ToString("N");
            context.Items[ItemKey] = id;
            // OnStarting rather than setting it now: the exception handler clears headers before writing its answer.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = id;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
