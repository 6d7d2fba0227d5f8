using System.Security.Claims;
using CreditGrid.Gateway.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests.Security;

/// <summary>
/// The role short cut admits exactly the callers the framework would, and leaves every refusal and every other kind of
/// policy to the framework. A counting handler shows when the framework's authorisation service ran.
/// </summary>
public sealed class CallerRolePolicyEvaluatorTests
{
    private static readonly AuthorizationPolicy ReadPolicy =
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Supervisor, Roles.Admin).Build();

    private readonly CountingHandler _framework = new();
    private readonly CallerRolePolicyEvaluator _evaluator = new();

    [Fact]
    public async Task A_caller_holding_an_admitted_role_is_admitted_without_the_framework()
    {
        var context = Context(Caller(Roles.Department, Roles.Supervisor));

        var result = await _evaluator.AuthorizeAsync(ReadPolicy, Authenticated(context), context, null);

        Assert.True(result.Succeeded);
        Assert.Equal(0, _framework.Runs);
    }

    [Fact]
    public async Task A_caller_without_an_admitted_role_is_forbidden_by_the_framework()
    {
        var context = Context(Caller(Roles.Public));

        var result = await _evaluator.AuthorizeAsync(ReadPolicy, Authenticated(context), context, null);

        Assert.True(result.Forbidden);
        Assert.Equal(1, _framework.Runs);
    }

    [Fact]
    public async Task An_anonymous_request_is_challenged()
    {
        var context = Context(new ClaimsPrincipal(new ClaimsIdentity()));

        var result = await _evaluator.AuthorizeAsync(ReadPolicy, AuthenticateResult.NoResult(), context, null);

        Assert.True(result.Challenged);
    }

    [Fact]
    public async Task A_policy_with_any_other_requirement_is_left_to_the_framework()
    {
        var policy = new AuthorizationPolicyBuilder().RequireRole(Roles.Supervisor).RequireAssertion(_ => false).Build();
        var context = Context(Caller(Roles.Supervisor));

        var result = await _evaluator.AuthorizeAsync(policy, Authenticated(context), context, null);

        Assert.True(result.Forbidden);
        Assert.Equal(1, _framework.Runs);
    }

    [Fact]
    public async Task Every_role_set_of_a_policy_must_be_met()
    {
        var policy = new AuthorizationPolicyBuilder().RequireRole(Roles.Supervisor, Roles.Admin).RequireRole(Roles.Bank).Build();

        var one = Context(Caller(Roles.Supervisor));
        var both = Context(Caller(Roles.Supervisor, Roles.Bank));

        Assert.True((await _evaluator.AuthorizeAsync(policy, Authenticated(one), one, null)).Forbidden);
        Assert.True((await _evaluator.AuthorizeAsync(policy, Authenticated(both), both, null)).Succeeded);
    }

    private DefaultHttpContext Context(ClaimsPrincipal user)
    {
        var services = new ServiceCollection().AddLogging().AddAuthorization().AddSingleton<IAuthorizationHandler>(_framework);
        return new DefaultHttpContext { User = user, RequestServices = services.BuildServiceProvider() };
    }

    private static ClaimsPrincipal Caller(params string[] roles)
    {
        var claims = new List<Claim> { new(CallerClaims.Subject, "policy-test") };
        claims.AddRange(roles.Select(r => new Claim(CallerClaims.Role, r)));
        return new ClaimsPrincipal(new CallerIdentity(new ClaimsIdentity(claims, "test", CallerClaims.Subject, CallerClaims.Role)));
    }

    private static AuthenticateResult Authenticated(HttpContext context) =>
        AuthenticateResult.Success(new AuthenticationTicket(context.User, "test"));

    private sealed class CountingHandler : IAuthorizationHandler
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public Task HandleAsync(AuthorizationHandlerContext context)
        {
            Interlocked.Increment(ref _runs);
            return Task.CompletedTask;
        }
    }
}
