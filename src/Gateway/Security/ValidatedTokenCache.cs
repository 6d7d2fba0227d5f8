using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Validates a bearer token once and remembers the result until the token expires. A bank or a department sends the
/// same token with every request for its whole lifetime; parsing it and checking its HMAC again each time was the
/// largest single cost of a score lookup (about an eighth of its CPU). Only successful validations are kept, keyed by
/// the exact token text (signature included), never beyond the token's own expiry, and each hit gets its own copy of
/// the identity, so nothing one request does to its principal reaches another. Signing keys are fixed for the life of
/// the process, so a remembered result cannot outlive the key that proved it.
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider time, int capacity = ValidatedTokenCache.DefaultCapacity) : JsonWebTokenHandler, IDisposable
{
    /// <summary>Distinct tokens remembered at once; beyond it new ones are validated but not kept until room frees.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly MemoryCache validated = new(new MemoryCacheOptions { SizeLimit = capacity });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (validated.TryGetValue(token, out Validated? known) && known!.ValidTo > now)
        {
            return known.Copy();
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var validTo } && validTo > now.UtcDateTime && result.ClaimsIdentity is not null)
        {
            var expiresAt = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
            validated.Set(token, new Validated(result, expiresAt), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = expiresAt - now });
        }

        return result;
    }

    public void Dispose() => validated.Dispose();

    private sealed record Validated(TokenValidationResult Result, DateTimeOffset ValidTo)
    {
        public TokenValidationResult Copy() => new()
        {
            IsValid = true,
            ClaimsIdentity = Result.ClaimsIdentity.Clone(),
            SecurityToken = Result.SecurityToken,
            Issuer = Result.Issuer,
            TokenType = Result.TokenType,
            TokenContext = Result.TokenContext,
        };
    }
}
