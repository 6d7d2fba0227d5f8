using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Ingest;
using CreditGrid.Gateway.Protection;
using CreditGrid.Gateway.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Apis;

/// <summary><c>POST /api/v1/events</c>: departments submit credit records in batches (归集).</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/events")
            .WithTags("Events")
            // No Accepts metadata: routing would answer other media types with a bare 415 before the handler's
            // own check, which names the field and reason like every other refusal.
            .MapPost("/", SubmitBatchAsync)
            .RequireAuthorization(Policies.EventsWrite)
            .HasOwnBodyLimit()
            .WithSummary("Submit a batch of credit records (JSON array or NDJSON, at most 10,000).")
            .Audited(AuditActions.EventsWrite, AuditDetails.IngestCounts);
        return app;
    }

    public static async Task<Results<Accepted<BatchResult>, ProblemHttpResult>> SubmitBatchAsync(
        HttpRequest request, System.Security.Claims.ClaimsPrincipal caller, IngestService ingest, IOptions<IngestLimits> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var ndjson = mediaType == BatchReader.NdjsonMediaType;
        if (mediaType is not null && !ndjson && mediaType != "application/json")
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send application/json (an array of records) or {BatchReader.NdjsonMediaType}; got '{mediaType}'.", "Content-Type", "unsupported_media_type");
        }

        using var body = await RequestBody.ReadAsync(request, limits.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body exceeds {limits.MaxBodyBytes} bytes; split the batch.", "body", "body_too_large");
        }

        var read = BatchReader.Read(body.Memory, ndjson, limits.MaxRecordsPerBatch, ingest.RecordReader());
        if (read.TooManyCount is { } count)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Batch too large", $"The batch has {count} records; at most {limits.MaxRecordsPerBatch} are accepted per request.", "records", "too_many_records");
        }

        if (read.MalformedReason is { } reason)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Malformed body", reason, "body", "malformed_json");
        }

        if (read.Records.Count == 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Empty batch", "The batch holds no records.", "records", "empty_batch");
        }

        var result = await ingest.IngestAsync(read.Records, caller.OwnDepartmentScope(), cancellationToken);
        return TypedResults.Accepted((string?)null, result);
    }
}
