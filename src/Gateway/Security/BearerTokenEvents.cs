using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace CreditGrid.Gateway.Security;

/// <summary>How the gateway finds and vets bearer tokens beyond signature, issuer, audience and lifetime.</summary>
public static class BearerTokenEvents
{
    /// <summary>The only path that takes a token from the query string: browsers' EventSource cannot send headers.</summary>
    public const string LiveFeedPath = "/api/v1/alerts/live";

    public const string QueryParameter = "access_token";

    public static JwtBearerEvents Create() => new()
    {
        OnMessageReceived = context =>
        {
            var request = context.Request;
            if (request.Path.Equals(LiveFeedPath, StringComparison.OrdinalIgnoreCase)
                && string.IsNullOrEmpty(request.Headers.Authorization)
                && request.Query[QueryParameter].ToString() is { Length: > 0 } token)
            {
                context.Token = token;
            }

            return Task.CompletedTask;
        },
        OnTokenValidated = context =>
        {
            // A correctly signed token can still be incoherent (a bank without its USCC); it then authenticates no one.
            var caller = context.Principal!;
            var roles = caller.FindAll(CallerClaims.Role).Select(c => c.Value).ToArray();
            if (caller.SubjectOf() is not { Length: > 0 })
            {
                context.Fail(new IncoherentTokenException("the token has no sub claim"));
            }
            else if (TokenRules.Check(roles, caller.FindFirst(CallerClaims.Uscc)?.Value) is { } problem)
            {
                context.Fail(new IncoherentTokenException(problem));
            }

            return Task.CompletedTask;
        },
    };
}

/// <summary>A token whose signature is good but whose claims do not make sense together.</summary>
public sealed class IncoherentTokenException(string message) : Exception(message);
