using System.Globalization;
using System.Threading.RateLimiting;
using CreditGrid.Gateway.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace CreditGrid.Gateway.Protection;

/// <summary>
/// A token bucket per client: the token's <c>sub</c> when the caller is authenticated, else the client's IP address,
/// so one noisy department cannot starve the rest. Health probes are never limited.
/// </summary>
public static class ClientRateLimiting
{
    public const string RejectionReason = "rate_limited";

    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRejectedAsync;
            if (limits.PermitsPerSecond > 0)
            {
                var bucket = new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(limits.Burst, 1),
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    AutoReplenishment = true,
                    QueueLimit = 0,
                };
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.Request.Path.StartsWithSegments("/health")
                        ? RateLimitPartition.GetNoLimiter("health")
                        : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => bucket));
            }
        });
        return services;
    }

    public static string PartitionKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.SubjectOf() is { } subject
            ? "sub:" + subject
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This client has exceeded its request rate; retry after {seconds} s.", RejectionReason);
    }
}
