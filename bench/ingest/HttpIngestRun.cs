using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CreditGrid.Domain.Events;

namespace CreditGrid.Bench.Ingest;

/// <summary>What the posters saw: when the last 202 came, how long each batch took, and each subject's highest acknowledged sequence.</summary>
public sealed record HttpIngestResult(
    TimeSpan UntilLastAck,
    IReadOnlyList<double> BatchMilliseconds,
    IReadOnlyDictionary<string, long> HighestSequence,
    long Accepted,
    long Duplicates,
    long Rejected);

/// <summary>
/// Posts pre-serialised NDJSON batches to <c>POST /api/v1/events</c> from several concurrent posters, each taking
/// the next unsent batch, so the gateway always has that many requests in flight.
/// </summary>
public static class HttpIngestRun
{
    public static Task<HttpIngestResult> RunAsync(HttpClient http, Uri endpoint, IReadOnlyList<CreditEvent[]> batches, IReadOnlyList<byte[]> bodies, int posters, long startedTimestamp, CancellationToken cancellationToken) =>
        RunAsync(http, [endpoint], batches, bodies, posters, startedTimestamp, onAcknowledged: null, cancellationToken);

    /// <summary>
    /// Poster k talks to <paramref name="endpoints"/>[k mod count], so several gateways share the load evenly.
    /// <paramref name="onAcknowledged"/>, when given, sees each 202 as it arrives: the batch index, the timestamp of the
    /// answer and the subject sequence of every record of the batch (0 where none was given).
    /// </summary>
    public static async Task<HttpIngestResult> RunAsync(
        HttpClient http,
        IReadOnlyList<Uri> endpoints,
        IReadOnlyList<CreditEvent[]> batches,
        IReadOnlyList<byte[]> bodies,
        int posters,
        long startedTimestamp,
        Action<int, long, long[]>? onAcknowledged,
        CancellationToken cancellationToken)
    {
        var latencies = new double[batches.Count];
        var highest = new Dictionary<string, long>(StringComparer.Ordinal);
        long accepted = 0, duplicates = 0, rejected = 0, lastAck = 0;
        var next = -1;
        var gate = new Lock();

        async Task PostAllAsync(Uri endpoint)
        {
            // Each poster stops when the shared cursor passes the last batch, so the loop is bounded by the batch count.
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                var sent = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var response = await http.PostAsync(endpoint, content, cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var answered = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode)
                {
                    throw new BenchmarkFailedException($"Batch {i} was answered {(int)response.StatusCode}: {ProblemDetail(body)}");
                }

                latencies[i] = Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds;
                using var answer = JsonDocument.Parse(body);
                var sequences = onAcknowledged is null ? null : new long[batches[i].Length];
                lock (gate)
                {
                    lastAck = Math.Max(lastAck, answered);
                    accepted += answer.RootElement.GetProperty("accepted").GetInt64();
                    duplicates += answer.RootElement.GetProperty("duplicates").GetInt64();
                    rejected += answer.RootElement.GetProperty("rejected").GetInt64();
                    foreach (var result in answer.RootElement.GetProperty("results").EnumerateArray())
                    {
                        if (result.TryGetProperty("subjectSequence", out var sequence) && sequence.ValueKind == JsonValueKind.Number)
                        {
                            var subject = batches[i][result.GetProperty("index").GetInt32()].SubjectId;
                            highest[subject] = Math.Max(highest.GetValueOrDefault(subject), sequence.GetInt64());
                            if (sequences is not null)
                            {
                                sequences[result.GetProperty("index").GetInt32()] = sequence.GetInt64();
                            }
                        }
                    }
                }

                onAcknowledged?.Invoke(i, answered, sequences!);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, posters).Select(k => Task.Run(() => PostAllAsync(endpoints[k % endpoints.Count]), cancellationToken)));
        return new HttpIngestResult(Stopwatch.GetElapsedTime(startedTimestamp, lastAck), latencies, highest, accepted, duplicates, rejected);
    }

    private static string ProblemDetail(byte[] body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails; show the raw start of the body instead.
        }

        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length > 300 ? text[..300] : text;
    }
}
