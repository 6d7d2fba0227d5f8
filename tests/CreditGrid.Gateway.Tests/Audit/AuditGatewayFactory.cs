using System.Globalization;
using System.Security.Claims;
using CreditGrid.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>
/// The gateway with a test identity: the caller's <c>sub</c>, <c>role</c> and <c>uscc</c> claims come from the
/// <c>X-Test-*</c> headers, standing in for a validated JWT (inbound claim mapping off, so the same claim types).
/// Clients send an admin identity by default; a request with an empty <c>X-Test-Sub</c> stays anonymous.
/// </summary>
public sealed class AuditGatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SubHeader = "X-Test-Sub";
    public const string RolesHeader = "X-Test-Roles";
    public const string UsccHeader = "X-Test-Uscc";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CreditGrid:Demo:Enabled", "false");
        builder.UseSetting("CreditGrid:Silo:SiloPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("CreditGrid:Silo:GatewayPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestIdentityStartupFilter>());
    }

    /// <summary>Clients act as an admin unless a request names its own caller (request headers win over defaults).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(SubHeader, "test-admin");
        client.DefaultRequestHeaders.Add(RolesHeader, "admin");
    }

    public ValueTask InitializeAsync()
    {
        StartServer();
        return ValueTask.CompletedTask;
    }

    private sealed class TestIdentityStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                var headers = context.Request.Headers;
                if (headers[SubHeader].ToString() is { Length: > 0 } sub)
                {
                    var claims = new List<Claim> { new("sub", sub) };
                    claims.AddRange(headers[RolesHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => new Claim("role", r)));
                    if (headers[UsccHeader].ToString() is { Length: > 0 } uscc)
                    {
                        claims.Add(new Claim("uscc", uscc));
                    }

                    context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test", "sub", "role"));
                }

                return following(context);
            });
            next(app);
        };
    }
}

[CollectionDefinition(Name)]
public sealed class AuditCollection : ICollectionFixture<AuditGatewayFactory>
{
    public const string Name = "gateway-audit";
}
