using Scalar.AspNetCore;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>
/// The OpenAPI document of <c>/api/v1</c> at <c>/openapi/v1.json</c> and a browsable page of it at <c>/api-docs</c>,
/// whose script is served by the gateway itself (no CDN).
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentRoute = "/openapi/{documentName}.json";
    public const string PagePath = "/api-docs";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // Only the public API: health, metrics and the dashboard's own endpoints are operational, not API.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<ApiDocumentInfo>();
            options.AddOperationTransformer<EventsRequestBody>();
            options.AddOperationTransformer<ProblemResponses>();
            options.AddOperationTransformer<ResponseExamples>();
            options.AddOperationTransformer<BearerRequirements>();
        });

    /// <summary>Maps the document and the page; both conventions are returned so access rules can be attached.</summary>
    public static (IEndpointConventionBuilder Document, IEndpointConventionBuilder Page) MapApiDocumentation(this IEndpointRouteBuilder app) =>
        (app.MapOpenApi(DocumentRoute),
         app.MapScalarApiReference(PagePath, options => options
             .WithTitle("CreditGrid API")
             .WithOpenApiRoutePattern(DocumentRoute)));
}
