using System.Net;
using CreditGrid.Gateway.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests.Security;

/// <summary>
/// A token the gateway has proved once signs later requests in without the bearer handler; every other request still
/// meets the handler. The handler's message-received event counts how often it runs.
/// </summary>
public sealed class CachedBearerAuthenticationTests : IAsyncLifetime
{
    private int _handlerRuns;
    private readonly GatewayFactory _gateway;

    public CachedBearerAuthenticationTests()
    {
        _gateway = new GatewayFactory
        {
            ConfigureServices = services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                var inner = options.Events.OnMessageReceived;
                options.Events.OnMessageReceived = context =>
                {
                    Interlocked.Increment(ref _handlerRuns);
                    return inner(context);
                };
            }),
        };
    }

    public ValueTask InitializeAsync() => _gateway.InitializeAsync();

    public ValueTask DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task A_proved_token_skips_the_handler_and_keeps_its_roles()
    {
        using var supervisor = _gateway.CreateClientFor(Roles.Supervisor);
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 3; i++)
        {
            using var answer = await supervisor.GetAsync("/api/v1/cities", ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Equal(1, Volatile.Read(ref _handlerRuns));

        // Roles come from the remembered identity: a supervisor is still refused what only admins may do.
        using var refused = await supervisor.GetAsync("/api/v1/audit", ct);
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, null, SubjectAccess.RoleNotPermitted);
        Assert.Equal(1, Volatile.Read(ref _handlerRuns));
    }

    [Fact]
    public async Task Requests_without_a_proved_token_meet_the_handler_every_time()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = _gateway.CreateAnonymousClient();
        using var intruder = _gateway.CreateClientWithToken(Callers.ForeignIssuer().Issue(new TokenRequest("intruder", [Roles.Admin], null, TimeSpan.FromHours(1))).Token);

        for (var i = 0; i < 2; i++)
        {
            using var missing = await anonymous.GetAsync("/api/v1/cities", ct);
            await missing.AssertProblemAsync(HttpStatusCode.Unauthorized, null, "missing_token");
            using var forged = await intruder.GetAsync("/api/v1/cities", ct);
            await forged.AssertProblemAsync(HttpStatusCode.Unauthorized, null, "invalid_signature");
        }

        // Twice per refused request: once to authenticate, once more when the refusal asks why.
        Assert.True(Volatile.Read(ref _handlerRuns) >= 4, $"the handler ran {_handlerRuns} times for 4 unproved requests");
    }
}
