using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>The document's title and description, and the bearer-JWT scheme that protected operations refer to.</summary>
internal sealed class ApiDocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CreditGrid API",
            Version = "v1",
            Description = """
                Shaanxi's real-time public-credit grid: departments submit credit records (归集); supervisors, the monitoring
                desk, banks, enterprises and the public read live evaluations, city aggregates and integrity warnings.

                Every error is RFC 9457 ProblemDetails with `traceId`, and where it concerns a field, `field` and `reason`.
                Callers authenticate with a JWT bearer token whose roles are department, supervisor, monitoring, bank,
                enterprise, public or admin; each protected operation names the roles it admits.
                """,
        };
        BearerScheme.EnsureIn(document);
        return Task.CompletedTask;
    }
}

/// <summary>The <c>Bearer</c> security scheme: a JWT in the Authorization header.</summary>
internal static class BearerScheme
{
    public const string Name = "Bearer";

    public static void EnsureIn(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(Name, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT whose role claims are among department, supervisor, monitoring, bank, enterprise, public, admin.",
        });
    }
}
