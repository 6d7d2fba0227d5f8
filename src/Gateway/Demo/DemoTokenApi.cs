using CreditGrid.Gateway.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Demo;

/// <summary>
/// <c>GET /api/v1/demo/token</c>: while the demo province runs, the dashboard page asks here for a short-lived
/// supervisor and monitoring token. Anonymous by design and answered 404 when the demo is off, so no real
/// deployment hands out tokens.
/// </summary>
public static class DemoTokenApi
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapDemoTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/demo/token", GetToken)
            .AllowAnonymous()
            .WithTags("Demo")
            .WithSummary("A short-lived supervisor + monitoring token for the dashboard (single-process demo only).");
        return app;
    }

    public static Results<Ok<DemoToken>, NotFound> GetToken(IServiceProvider services, GatewayTokenIssuer issuer)
    {
        if (services.GetService<DemoFeed>() is null)
        {
            return TypedResults.NotFound();
        }

        var issued = issuer.Issue(new TokenRequest("demo-dashboard", [Roles.Supervisor, Roles.Monitoring], null, Lifetime));
        return TypedResults.Ok(new DemoToken(issued.Token, issued.ExpiresAt));
    }
}

public sealed record DemoToken(string Token, DateTimeOffset ExpiresAt);
