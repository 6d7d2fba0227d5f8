using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Signs CreditGrid tokens with the gateway's HMAC-SHA256 key: the <c>token</c> command, the demo dashboard's
/// token and tests all mint through this one class, so what they issue is exactly what the gateway accepts.
/// </summary>
public sealed class GatewayTokenIssuer(AuthOptions options, TimeProvider time)
{
    private readonly SigningCredentials _credentials = new(options.CreateSigningKey(), SecurityAlgorithms.HmacSha256);

    public IssuedToken Issue(TokenRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Subject);
        if (request.Lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Lifetime, "A token's lifetime must be positive.");
        }

        var uscc = request.Uscc?.Trim().ToUpperInvariant();
        if (TokenRules.Check(request.Roles, uscc) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var now = time.GetUtcNow();
        var expires = now + request.Lifetime;
        var claims = new Dictionary<string, object>
        {
            [CallerClaims.Subject] = request.Subject,
            [CallerClaims.Role] = request.Roles.Distinct(StringComparer.Ordinal).ToArray(),
            [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        if (uscc is not null)
        {
            claims[CallerClaims.Uscc] = uscc;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return new IssuedToken(handler.CreateToken(descriptor), expires);
    }
}
