using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Net.Http.Headers;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// The authentication step of the pipeline. A request whose <c>Authorization: Bearer</c> token the
/// <see cref="ValidatedTokenCache"/> already proved, and that has not expired, is signed in with the remembered result
/// directly; everything else (no token, an unknown, refused or expired token, the live feed's query-string token) goes
/// through the framework's <see cref="AuthenticationMiddleware"/> and the JWT bearer handler exactly as before.
/// </summary>
/// <remarks>
/// The bearer handler is built per request and, even for a remembered token, clones its validation parameters and
/// raises its events; with the authentication plumbing around it that was about a tenth of what a score lookup
/// allocated. The short cut concludes only what the handler would: the same principal, the same scheme.
/// </remarks>
public sealed class CachedBearerAuthentication(RequestDelegate next, IAuthenticationSchemeProvider schemes, ValidatedTokenCache tokens)
{
    private const string BearerPrefix = "Bearer ";

    private readonly AuthenticationMiddleware _full = new(next, schemes);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue(HeaderNames.Authorization, out var values)
            && values.Count == 1
            && values[0] is { } header
            && header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && tokens.TryGetAuthenticated(header.AsSpan(BearerPrefix.Length).Trim(), out var result))
        {
            var signedIn = new SignedIn(result);
            context.Features.Set<IAuthenticateResultFeature>(signedIn);
            context.Features.Set<IHttpAuthenticationFeature>(signedIn);
            return next(context);
        }

        return _full.Invoke(context);
    }

    /// <summary>
    /// The remembered result this step signed the request in with, as a completed task, while nothing has replaced it;
    /// null for requests that took the full path.
    /// </summary>
    public static Task<AuthenticateResult>? SignedInTask(HttpContext context) =>
        context.Features.Get<IAuthenticateResultFeature>() is SignedIn { IsUnchanged: true } signedIn ? signedIn.Remembered : null;

    /// <summary>
    /// What the authentication middleware leaves for authorisation: the result and the user it proves (the
    /// framework's own feature pair, which is internal, behaves the same way).
    /// </summary>
    private sealed class SignedIn(Task<AuthenticateResult> remembered) : IAuthenticateResultFeature, IHttpAuthenticationFeature
    {
        private AuthenticateResult? _result = remembered.Result;
        private ClaimsPrincipal? _user = remembered.Result.Principal;

        public Task<AuthenticateResult> Remembered => remembered;

        public bool IsUnchanged => ReferenceEquals(_result, remembered.Result) && ReferenceEquals(_user, remembered.Result.Principal);

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                _result = value;
                _user = value?.Principal;
            }
        }

        public ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                _user = value;
                _result = null;
            }
        }
    }
}
