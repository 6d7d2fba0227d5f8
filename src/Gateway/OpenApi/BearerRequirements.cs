using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>
/// Operations whose endpoint requires authorization get the bearer requirement, their roles or policies in the
/// description, and 401/403 answers; read from the endpoint's metadata, so the document follows whatever
/// <c>RequireAuthorization</c> the endpoint chains carry.
/// </summary>
internal sealed class BearerRequirements : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        BearerScheme.EnsureIn(context.Document!);
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme.Name, context.Document)] = [] });

        var roles = authorize.SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
        var policies = authorize.Select(a => a.Policy).OfType<string>().Distinct().ToList();
        var admits = roles.Count > 0 ? $"Roles: {string.Join(", ", roles)}." : policies.Count > 0 ? $"Policy: {string.Join(", ", policies)}." : "Any authenticated caller.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? admits : $"{operation.Description}\n\n{admits}";

        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token." });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token's roles do not admit this operation." });
        return Task.CompletedTask;
    }
}
