using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Where the gateway finds bearer tokens. Their claims are vetted beyond signature, issuer, audience and lifetime by
/// <see cref="ValidatedTokenCache"/>, once per token.
/// </summary>
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
    };
}

/// <summary>A token whose signature is good but whose claims do not make sense together.</summary>
public sealed class IncoherentTokenException(string message) : Exception(message);
