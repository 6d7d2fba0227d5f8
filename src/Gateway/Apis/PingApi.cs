namespace CreditGrid.Gateway.Apis;

/// <summary>
/// <c>GET /api/v1/ping</c>: a constant JSON answer that touches nothing behind the gateway. It is the baseline the
/// lookup benchmark compares against (what the HTTP stack alone allows) and a cheap probe for load balancers.
/// </summary>
public static class PingApi
{
    private static readonly PingResponse Pong = new("ok", "creditgrid");

    public static RouteHandlerBuilder MapPingApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/ping", () => TypedResults.Ok(Pong))
            .WithTags("Operations")
            .WithSummary("A constant answer from the gateway itself; nothing behind it is called.");
}

/// <summary>The constant answer of <c>GET /api/v1/ping</c>.</summary>
public sealed record PingResponse(string Status, string Service);
