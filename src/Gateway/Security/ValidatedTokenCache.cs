using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Validates a bearer token once and remembers the result until the token expires. A bank or a department sends the
/// same token with every request for its whole lifetime; parsing it and checking its HMAC again each time was the
/// largest single cost of a score lookup (about an eighth of its CPU). Only successful validations are kept, keyed by
/// the exact token text (signature included), never beyond the token's own expiry. Signing keys are fixed for the life
/// of the process, so a remembered result cannot outlive the key that proved it.
/// </summary>
/// <remarks>
/// A validated token also has its claims checked for coherence once (<see cref="TokenRules"/>: known roles, a valid
/// USCC, one for roles that act for an organisation); an incoherent token fails with
/// <see cref="IncoherentTokenException"/> and is not remembered. The identity handed out is a frozen
/// <see cref="CallerIdentity"/>, shared by every request with that token.
/// </remarks>
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
            return known.Result();
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid || result.ClaimsIdentity is null)
        {
            return result;
        }

        var caller = new CallerIdentity(result.ClaimsIdentity);
        if (Incoherence(caller) is { } problem)
        {
            return new TokenValidationResult { IsValid = false, Exception = new IncoherentTokenException(problem) };
        }

        var entry = new Validated(caller, result.SecurityToken, result.Issuer, result.TokenType, DateTime.SpecifyKind(result.SecurityToken.ValidTo, DateTimeKind.Utc));
        if (entry.ValidTo > now)
        {
            validated.Set(token, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = entry.ValidTo - now });
        }

        return entry.Result();
    }

    public void Dispose() => validated.Dispose();

    /// <summary>A correctly signed token can still be incoherent (a bank without its USCC); it then authenticates no one.</summary>
    private static string? Incoherence(CallerIdentity caller) =>
        caller.FindFirst(CallerClaims.Subject)?.Value is not { Length: > 0 }
            ? "the token has no sub claim"
            : TokenRules.Check(caller.Roles, caller.FindFirst(CallerClaims.Uscc)?.Value);

    private sealed record Validated(CallerIdentity Caller, SecurityToken Token, string Issuer, string TokenType, DateTimeOffset ValidTo)
    {
        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            ClaimsIdentity = Caller,
            SecurityToken = Token,
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
