using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreditGrid.Domain.Events;

namespace CreditGrid.Simulator.Cli;

/// <summary>The gateway answered a batch with counts and per-record results (the 202 body of <c>POST /api/v1/events</c>).</summary>
public sealed record BatchAnswer(int Accepted, int Duplicates, int Rejected, IReadOnlyList<RecordAnswer> Results);

/// <summary>One record's outcome; <see cref="Status"/> is <c>accepted</c>, <c>duplicate</c> or <c>rejected</c>.</summary>
public sealed record RecordAnswer(int Index, string? RecordId, string Status, long? SubjectSequence, string? Field, string? Reason, string? Message);

/// <summary>The gateway could not be reached, or refused a batch; <see cref="Exception.Message"/> says which and why.</summary>
public sealed class IngestFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Posts batches of credit events to <c>POST /api/v1/events</c> as NDJSON.</summary>
public sealed class IngestClient(HttpClient http, Uri eventsEndpoint)
{
    public const string NdjsonMediaType = "application/x-ndjson";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The batch as one NDJSON body in the exact wire format.</summary>
    public static byte[] ToNdjson(IReadOnlyList<CreditEvent> batch)
    {
        var text = new StringBuilder(batch.Count * 400);
        foreach (var e in batch)
        {
            text.Append(CreditRecordWriter.ToNdjsonLine(e)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public Task<BatchAnswer> PostAsync(IReadOnlyList<CreditEvent> batch, CancellationToken cancellationToken) =>
        PostAsync(ToNdjson(batch), cancellationToken);

    public async Task<BatchAnswer> PostAsync(byte[] ndjson, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(ndjson);
        content.Headers.ContentType = new MediaTypeHeaderValue(NdjsonMediaType);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(eventsEndpoint, content, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new IngestFailedException($"Cannot reach the gateway at {eventsEndpoint.GetLeftPart(UriPartial.Authority)}: {ex.Message.TrimEnd('.')}. Is it running?", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IngestFailedException($"The gateway at {eventsEndpoint.GetLeftPart(UriPartial.Authority)} did not answer within {http.Timeout.TotalSeconds:F0} s.", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new IngestFailedException($"The gateway answered {(int)response.StatusCode} {response.ReasonPhrase}: {Describe(body)}");
            }

            return JsonSerializer.Deserialize<BatchAnswer>(body, Json)
                ?? throw new IngestFailedException($"The gateway answered {(int)response.StatusCode} without a batch result.");
        }
    }

    // ProblemDetails carries the actionable text in detail; anything else is shown as sent, shortened.
    private static string Describe(string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<Problem>(body, Json);
            if (problem?.Detail is { Length: > 0 } detail)
            {
                return problem.Title is { Length: > 0 } title ? $"{title}. {detail}" : detail;
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails (a proxy's HTML page, say): fall through to the raw body.
        }

        return body.Length == 0 ? "(empty body)" : body.Length > 300 ? body[..300] + "…" : body;
    }

    private sealed record Problem([property: JsonPropertyName("title")] string? Title, [property: JsonPropertyName("detail")] string? Detail);
}
