using CreditGrid.Gateway.Security;
using Microsoft.IdentityModel.Tokens;

namespace CreditGrid.Gateway.Tests.Security;

/// <summary>
/// The token cache must save the work of validating a token again without ever accepting what a fresh validation
/// would refuse. A counting lifetime check shows when the full validation runs.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly AuthOptions Auth = new() { SigningKey = "a test signing key that is long enough for HMAC-SHA256 use" };

    private readonly MovableTime _time = new(DateTimeOffset.UtcNow);
    private int _fullValidations;

    [Fact]
    public async Task A_token_is_validated_in_full_once_and_its_frozen_identity_is_shared()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = Issue(TimeSpan.FromMinutes(10));

        var first = await cache.ValidateTokenAsync(token, Parameters());
        var second = await cache.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _fullValidations);
        var caller = Assert.IsType<CallerIdentity>(second.ClaimsIdentity);
        Assert.Same(first.ClaimsIdentity, caller);
        Assert.Equal("cache-test", caller.FindFirst(CallerClaims.Subject)?.Value);
        Assert.True(caller.HasClaim(CallerClaims.Role, Roles.Supervisor));
        Assert.False(caller.HasClaim(CallerClaims.Role, Roles.Admin));
        Assert.Equal([Roles.Supervisor], caller.Roles);
        Assert.Throws<InvalidOperationException>(() => caller.AddClaim(new System.Security.Claims.Claim(CallerClaims.Role, Roles.Admin)));
        Assert.False(caller.Clone().HasClaim(CallerClaims.Role, Roles.Admin));
    }

    [Fact]
    public async Task A_remembered_token_is_validated_again_once_it_has_expired()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = Issue(TimeSpan.FromMinutes(10));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);

        _time.Now += TimeSpan.FromMinutes(11);
        var late = await cache.ValidateTokenAsync(token, Parameters());

        Assert.False(late.IsValid);
        Assert.Equal(2, _fullValidations);
    }

    [Fact]
    public async Task A_token_with_a_foreign_signature_is_refused_every_time()
    {
        var cache = new ValidatedTokenCache(_time);
        var foreign = new GatewayTokenIssuer(new AuthOptions { SigningKey = "someone else's signing key, also long enough to sign" }, _time)
            .Issue(new TokenRequest("intruder", [Roles.Admin], null, TimeSpan.FromMinutes(10))).Token;

        Assert.False((await cache.ValidateTokenAsync(foreign, Parameters())).IsValid);
        Assert.False((await cache.ValidateTokenAsync(foreign, Parameters())).IsValid);
    }

    [Fact]
    public async Task A_correctly_signed_token_with_incoherent_claims_is_refused_and_not_remembered()
    {
        var cache = new ValidatedTokenCache(_time);
        // A bank acts for an organisation, so its token must carry the bank's USCC; this one does not.
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Auth.Issuer,
            Audience = Auth.Audience,
            Expires = _time.GetUtcNow().AddMinutes(10).UtcDateTime,
            Claims = new Dictionary<string, object> { [CallerClaims.Subject] = "teller", [CallerClaims.Role] = Roles.Bank },
            SigningCredentials = new SigningCredentials(Auth.CreateSigningKey(), SecurityAlgorithms.HmacSha256),
        };
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(descriptor);

        var first = await cache.ValidateTokenAsync(token, Parameters());
        var second = await cache.ValidateTokenAsync(token, Parameters());

        Assert.False(first.IsValid);
        Assert.IsType<IncoherentTokenException>(first.Exception);
        Assert.False(second.IsValid);
        Assert.Equal(2, _fullValidations);
    }

    [Fact]
    public async Task Beyond_its_capacity_the_cache_still_validates_every_token()
    {
        var cache = new ValidatedTokenCache(_time, capacity: 2);
        var tokens = Enumerable.Range(0, 5).Select(_ => Issue(TimeSpan.FromMinutes(10))).ToList();

        foreach (var token in tokens)
        {
            Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);
        }

        Assert.Equal(5, _fullValidations);
    }

    [Fact]
    public async Task Only_a_proved_unexpired_token_is_signed_in_without_validation()
    {
        var cache = new ValidatedTokenCache(_time);
        var token = Issue(TimeSpan.FromMinutes(10));
        Assert.False(cache.TryGetAuthenticated(token, out _));

        var proved = await cache.ValidateTokenAsync(token, Parameters());

        Assert.True(cache.TryGetAuthenticated(token, out var remembered));
        Assert.True(remembered.IsCompletedSuccessfully);
        var result = await remembered;
        Assert.True(result.Succeeded);
        Assert.Equal("Bearer", result.Ticket!.AuthenticationScheme);
        Assert.Same(proved.ClaimsIdentity, result.Principal!.Identity);
        Assert.False(cache.TryGetAuthenticated(token.AsSpan(0, token.Length - 2), out _));
        _time.Now += TimeSpan.FromMinutes(11);
        Assert.False(cache.TryGetAuthenticated(token, out _));
        Assert.Equal(1, _fullValidations);
    }

    private string Issue(TimeSpan lifetime) =>
        new GatewayTokenIssuer(Auth, _time).Issue(new TokenRequest("cache-test", [Roles.Supervisor], null, lifetime)).Token;

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = Auth.Issuer,
        ValidAudience = Auth.Audience,
        IssuerSigningKey = Auth.CreateSigningKey(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = CallerClaims.Subject,
        RoleClaimType = CallerClaims.Role,
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            Interlocked.Increment(ref _fullValidations);
            return expires > _time.GetUtcNow().UtcDateTime;
        },
    };

    private sealed class MovableTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
