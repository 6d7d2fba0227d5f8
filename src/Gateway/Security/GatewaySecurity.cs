using CreditGrid.Gateway.Protection;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// Wiring of authentication (JWT bearer, HMAC-SHA256), the role policies, per-subject access, per-client rate
/// limits, the request body limit and correlation ids.
/// </summary>
public static partial class GatewaySecurity
{
    public static WebApplicationBuilder AddGatewaySecurity(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        // Read and checked now, so that a missing or short key stops the gateway at start with the reason.
        var auth = AuthOptions.From(configuration);
        var signingKey = auth.CreateSigningKey();
        services.AddSingleton(auth);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayTokenIssuer>();

        services.AddSingleton<ValidatedTokenCache>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKey = signingKey,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = CallerClaims.Subject,
                    RoleClaimType = CallerClaims.Role,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                options.Events = BearerTokenEvents.Create();
            });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ValidatedTokenCache>((options, cache) =>
            {
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(cache);
            });
        services.AddAuthorization(options => options.AddCreditGridPolicies());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddSingleton<IPolicyEvaluator, CallerRolePolicyEvaluator>();

        services.AddSingleton<ISubjectAccess, SubjectAccess>();
        // Temporary: refuses every bank until the consent registry replaces it.
        services.AddSingleton<IBankAuthorisations, ConsentBankAuthorisations>();

        services.AddClientRateLimiting(configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions());

        // Chained after whatever Program.cs customises, so every ProblemDetails also carries the correlation id.
        services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var earlier = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                earlier?.Invoke(context);
                context.ProblemDetails.Extensions["correlationId"] = CorrelationIds.Of(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>Goes after static files (the dashboard page is public) and before the endpoints.</summary>
    public static WebApplication UseGatewaySecurity(this WebApplication app)
    {
        app.UseRequestBodyLimit(app.Configuration.GetValue(RequestBodyLimits.ConfigurationKey, RequestBodyLimits.DefaultMaxBytes));
        // In place of UseAuthentication: the same middleware, behind a short cut for tokens already proved. The key is
        // the one UseAuthentication sets; without it the host would add a second authentication step of its own.
        app.UseMiddleware<CachedBearerAuthentication>();
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        app.UseRateLimiter();
        app.UseAuthorization();

        var auth = app.Services.GetRequiredService<AuthOptions>();
        if (auth.IsDevelopmentKey && !app.Environment.IsDevelopment())
        {
            LogDevelopmentKey(app.Logger, AuthOptions.Section);
        }

        return app;
    }

    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tokens are signed with the development key shipped in appsettings.json; set {Section}:SigningKey to a secret of your own for any shared or production use.")]
    private static partial void LogDevelopmentKey(ILogger logger, string section);
}
