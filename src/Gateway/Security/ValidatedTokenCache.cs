using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
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
/// <see cref="CallerIdentity"/>, shared by every request with that token, and so is the authentication result
/// <see cref="TryGetAuthenticated"/> gives <see cref="CachedBearerAuthentication"/> for the requests that need no
/// token handler at all.
/// </remarks>
public sealed class ValidatedTokenCache : JsonWebTokenHandler
{
    /// <summary>Distinct tokens remembered at once; beyond it new ones are validated but not kept until room frees.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Validated>.AlternateLookup<ReadOnlySpan<char>> _byText;

    public ValidatedTokenCache(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time;
        _capacity = capacity;
        _byText = _validated.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (Current(token) is { } known)
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
        Remember(token, entry);
        return entry.Result();
    }

    /// <summary>
    /// The authentication result of a token this cache validated and that has not expired, as a completed task built
    /// once per token, without validating anything; false for every other token (unknown, refused, expired), which
    /// then takes the full path.
    /// </summary>
    public bool TryGetAuthenticated(ReadOnlySpan<char> token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Task<AuthenticateResult>? result)
    {
        result = Current(token)?.Authenticated;
        return result is not null;
    }

    private Validated? Current(ReadOnlySpan<char> token)
    {
        if (!_byText.TryGetValue(token, out var known))
        {
            return null;
        }

        if (known.ValidTo > _time.GetUtcNow())
        {
            return known;
        }

        _byText.TryRemove(token, out _);
        return null;
    }

    private void Remember(string token, Validated entry)
    {
        var now = _time.GetUtcNow();
        if (entry.ValidTo <= now)
        {
            return;
        }

        if (_validated.Count >= _capacity)
        {
            // Expired tokens are dropped when room is needed rather than on a timer: a token stays valid for hours.
            foreach (var (text, old) in _validated)
            {
                if (old.ValidTo <= now)
                {
                    _validated.TryRemove(text, out _);
                }
            }

            if (_validated.Count >= _capacity)
            {
                return;
            }
        }

        _validated.TryAdd(token, entry);
    }

    /// <summary>A correctly signed token can still be incoherent (a bank without its USCC); it then authenticates no one.</summary>
    private static string? Incoherence(CallerIdentity caller) =>
        caller.FindFirst(CallerClaims.Subject)?.Value is not { Length: > 0 }
            ? "the token has no sub claim"
            : TokenRules.Check(caller.Roles, caller.FindFirst(CallerClaims.Uscc)?.Value);

    private sealed class Validated(CallerIdentity caller, SecurityToken token, string issuer, string tokenType, DateTimeOffset validTo)
    {
        public DateTimeOffset ValidTo { get; } = validTo;

        /// <summary>What the bearer scheme would conclude for this token: shared, since nothing changes a ticket after sign-in.</summary>
        public Task<AuthenticateResult> Authenticated { get; } =
            Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(caller), JwtBearerDefaults.AuthenticationScheme)));

        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            ClaimsIdentity = caller,
            SecurityToken = token,
            Issuer = issuer,
            TokenType = tokenType,
        };
    }
}
