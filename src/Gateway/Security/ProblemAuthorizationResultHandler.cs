using CreditGrid.Gateway.Protection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Turns authorisation refusals into ProblemDetails with a stable <c>reason</c>: 401 when there is no acceptable
/// token (<c>missing_token</c>, <c>token_expired</c>, <c>invalid_signature</c>, <c>invalid_token</c>,
/// <c>incoherent_claims</c>), 403 when the token is good but its roles are not admitted (<c>role_not_permitted</c>).
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Challenged || authorizeResult.Forbidden
            ? RefuseAsync(next, context, policy, authorizeResult)
            : _default.HandleAsync(next, context, policy, authorizeResult);

    // Kept apart so that an admitted request, nearly every one, does not pay for a state machine.
    private async Task RefuseAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // The scheme's challenge sets WWW-Authenticate; the body says why in the project's own terms.
            // The middleware keeps only successful results; the scheme caches its result per request, so asking
            // again costs nothing and yields the failure, if any.
            var authentication = await context.AuthenticateAsync();
            await context.ChallengeAsync();
            var (reason, detail) = Unauthenticated(authentication.Failure);
            await ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail, reason);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            await context.ForbidAsync();
            var admitted = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToArray();
            var detail = admitted.Length > 0
                ? $"This endpoint admits the roles {string.Join(", ", admitted)}."
                : "The caller's token does not allow this request.";
            await ProblemWriter.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", detail, SubjectAccess.RoleNotPermitted);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    // Token-library messages name keys and internals, so only the incoherent-claims message (our own) is passed on.
    private static (string Reason, string Detail) Unauthenticated(Exception? failure) => failure switch
    {
        null => ("missing_token", "Send a bearer token: Authorization: Bearer <token>."),
        SecurityTokenExpiredException => ("token_expired", "The bearer token has expired; obtain a new one."),
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => ("invalid_signature", "The bearer token's signature is not valid for this grid."),
        IncoherentTokenException incoherent => ("incoherent_claims", $"The bearer token's claims are incoherent: {incoherent.Message}."),
        _ => ("invalid_token", "The bearer token is not valid for this grid (issuer, audience, lifetime or format)."),
    };
}
