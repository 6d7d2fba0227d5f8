using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace CreditGrid.Gateway.Protection;

/// <summary>
/// One body limit for every endpoint (<c>CreditGrid:Http:MaxRequestBodyBytes</c>) except those that enforce their own,
/// such as ingest with <c>CreditGrid:Ingest:MaxBodyBytes</c>. A declared length over the limit is refused before
/// anything is read; a chunked body is cut off by the server at the limit.
/// </summary>
public static class RequestBodyLimits
{
    public const string ConfigurationKey = "CreditGrid:Http:MaxRequestBodyBytes";
    public const long DefaultMaxBytes = 1024 * 1024;

    /// <summary>Marks an endpoint that reads its body under a limit of its own.</summary>
    public static TBuilder HasOwnBodyLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OwnBodyLimit.Instance);

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use((context, next) =>
        {
            // Not an async lambda: the common case only passes the request on, and an awaiting layer would cost every
            // request that completes asynchronously a state machine and one more continuation.
            if (context.GetEndpoint()?.Metadata.GetMetadata<OwnBodyLimit>() is not null)
            {
                return next(context);
            }

            if (context.Request.ContentLength > maxBytes)
            {
                return ProblemWriter.WriteAsync(context, new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Body too large",
                    Detail = $"Request bodies of this endpoint are limited to {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes.",
                    Extensions = { ["field"] = "body", ["reason"] = "body_too_large" },
                });
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = maxBytes;
            }

            return next(context);
        });

    private sealed class OwnBodyLimit
    {
        public static readonly OwnBodyLimit Instance = new();
    }
}
