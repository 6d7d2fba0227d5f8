using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>Adds each operation's ProblemDetails answers from <see cref="ApiErrorCatalog"/>, and the 503 every cluster call can give.</summary>
internal sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var key = ApiOperations.KeyOf(context.Description);
        var problems = ApiErrorCatalog.Problems.GetValueOrDefault(key) ?? [];
        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties.TryAdd("traceId", new OpenApiSchema { Type = JsonSchemaType.String, Description = "W3C trace id of the request, for the logs." });
        schema.Properties.TryAdd("field", new OpenApiSchema { Type = JsonSchemaType.String, Description = "The offending field, where the problem concerns one." });
        schema.Properties.TryAdd("reason", new OpenApiSchema { Type = JsonSchemaType.String, Description = "Machine-readable reason code, e.g. WRONG_CHECK, too_many_records." });
        operation.Responses ??= [];
        foreach (var (status, description) in problems.Append((StatusCodes.Status503ServiceUnavailable, ApiErrorCatalog.Unavailable)))
        {
            var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(code, out var existing) && existing is OpenApiResponse known)
            {
                // Typed results (NotFound) already declare the status without a body or a useful description.
                known.Description = description;
                known.Content ??= new Dictionary<string, OpenApiMediaType>();
                known.Content.TryAdd("application/problem+json", new OpenApiMediaType { Schema = schema });
                continue;
            }

            operation.Responses[code] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
        }
    }
}
