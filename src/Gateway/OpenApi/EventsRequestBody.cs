using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>
/// The request body of <c>POST /api/v1/events</c>. The handler reads the body itself (so that every refusal is a
/// ProblemDetails naming the field), which leaves nothing for the generator to infer: the record schema and both
/// media types with their examples are declared here.
/// </summary>
internal sealed class EventsRequestBody : IOpenApiOperationTransformer
{
    public const string RecordSchema = "CreditRecord";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (ApiOperations.KeyOf(context.Description) != ApiOperations.SubmitEvents)
        {
            return Task.CompletedTask;
        }

        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(RecordSchema, CreditRecord());
        var record = new OpenApiSchemaReference(RecordSchema, document);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "At most `CreditGrid:Ingest:MaxRecordsPerBatch` (10,000) records. Each is validated on its own and answered in order.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = record },
                    Examples = new Dictionary<string, IOpenApiExample>
                    {
                        ["batch"] = new OpenApiExample { Summary = "A licence and a serious penalty for one enterprise", Value = JsonNode.Parse(ApiExamples.BatchJson) },
                    },
                },
                ["application/x-ndjson"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "One record (a CreditRecord object) per line." },
                    Examples = new Dictionary<string, IOpenApiExample>
                    {
                        ["batch"] = new OpenApiExample { Summary = "The same batch, one record per line", Value = JsonValue.Create(ApiExamples.BatchNdjson) },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema CreditRecord() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "One administrative credit record in the public ingest format (camelCase, member names case-sensitive).",
        Required = new HashSet<string> { "recordId", "subjectId", "sourceDepartment", "type", "decisionDate", "details" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["recordId"] = Text("The provider's id of the record, at most 128 characters; with sourceDepartment the idempotency key."),
            ["subjectId"] = Text("USCC (统一社会信用代码) of the subject the record is about."),
            ["sourceDepartment"] = Text("USCC of the providing department."),
            ["type"] = Text("Versioned record kind, e.g. credit.penalty-imposed.v1."),
            ["decisionDate"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Description = "Date of the decision; not before 1949-10-01, not in the future." },
            ["decisionDocumentNumber"] = Nullable(Text("Number of the decision document, at most 256 characters.")),
            ["publicityClass"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                Description = "Publicity class; inferred from the penalty types when omitted.",
                Enum = [JsonValue.Create("minor"), JsonValue.Create("general"), JsonValue.Create("serious"), JsonValue.Create("notApplicable")],
            },
            ["amount"] = new OpenApiSchema { Type = JsonSchemaType.Number | JsonSchemaType.Null, Description = "Amount in yuan, ≥ 0." },
            ["jurisdiction"] = Nullable(Text("GB/T 2260 code of a Shaanxi division.")),
            ["effectiveFrom"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date" },
            ["effectiveTo"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date", Description = "Not before effectiveFrom." },
            ["legalBasis"] = Nullable(Text("Legal basis of the decision, at most 4000 characters.")),
            ["details"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The fields of the record kind (see src/Domain/Events/EventDetails.cs)." },
        },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Nullable(OpenApiSchema schema)
    {
        schema.Type |= JsonSchemaType.Null;
        return schema;
    }
}
