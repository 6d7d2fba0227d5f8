using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>Puts the <see cref="ApiExamples"/> answer on each main read's (and the batch's) success response.</summary>
internal sealed class ResponseExamples(IOptions<JsonOptions> json) : IOpenApiOperationTransformer
{
    private readonly Lazy<FrozenDictionary<string, JsonNode>> _examples = new(() => ApiExamples.Responses(json.Value.SerializerOptions));

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!_examples.Value.TryGetValue(ApiOperations.KeyOf(context.Description), out var example) || operation.Responses is null)
        {
            return Task.CompletedTask;
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (status.StartsWith('2') && response.Content?.TryGetValue("application/json", out var media) == true)
            {
                media.Examples ??= new Dictionary<string, IOpenApiExample>();
                media.Examples["example"] = new OpenApiExample { Summary = "What the grid answers to the example batch", Value = example.DeepClone() };
            }
        }

        return Task.CompletedTask;
    }
}
