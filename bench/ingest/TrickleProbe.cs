using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CreditGrid.Bench.Ingest;

/// <summary>What the trickle saw: for each record, the time from its 202 to its fold.</summary>
public sealed record TrickleResult(IReadOnlyList<double> FoldedMilliseconds, IReadOnlyList<double> PostMilliseconds, int Unresolved);

/// <summary>
/// Records arriving one at a time and far apart, as a province's flow does between bulk loads: each is posted alone,
/// to an enterprise of its own, after a pause longer than a reader's quiet spell and its backoff, so its log partition
/// has usually gone quiet. The time from its 202 to the instant its grain folded it (the answer's <c>asOf</c>, on the
/// machine's one clock) is the latency a quiet partition adds.
/// </summary>
/// <remarks>Records are at least the read delay plus the pause apart (2.5 s), longer than a reader's quiet spell (1 s) and
/// its doubling to the longest wait (about 0.3 s more to 200 ms, 1.3 s to the default 1 s), so every record meets a
/// reader that is waiting.</remarks>
public static class TrickleProbe
{
    /// <summary>
    /// When the record's subject is read after its 202: longer than the readers' longest idle wait (1 s by default),
    /// so a fold by the stream is seen as it happened; a record the stream had not delivered by then is folded by the
    /// read itself and shows as at least this long.
    /// </summary>
    private static readonly TimeSpan ReadAfter = TimeSpan.FromSeconds(1.5);

    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan FoldTimeout = TimeSpan.FromSeconds(10);

    public static async Task<TrickleResult> RunAsync(HttpClient http, Uri gateway, int records, int seed, TimeSpan pause, CancellationToken cancellationToken)
    {
        // One record per enterprise: each one's first record, as its own NDJSON body.
        var province = PostedProvince.Generate(records, governmentBodies: 0, seed, batchSize: 1);
        var firsts = province.Batches
            .Select((batch, i) => (Event: batch[0], Body: province.Bodies[i]))
            .DistinctBy(r => r.Event.SubjectId, StringComparer.Ordinal)
            .Take(records)
            .ToArray();
        var folded = new List<double>();
        var posts = new List<double>();
        var unresolved = 0;
        foreach (var (record, body) in firsts)
        {
            await Task.Delay(pause, cancellationToken);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(new Uri(gateway, "api/v1/events"), content, cancellationToken);
            var answeredAt = DateTimeOffset.UtcNow;
            posts.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new BenchmarkFailedException($"A trickle record was answered {(int)response.StatusCode}.");
            }

            using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            var sequence = answer.RootElement.GetProperty("results")[0].GetProperty("subjectSequence").GetInt64();
            // Read only once the stream has surely delivered: a read of a subject whose grain has not folded the record yet
            // would activate it and fold it from the log itself, and the probe would time its own read, not the stream.
            await Task.Delay(ReadAfter, cancellationToken);
            var deadline = Stopwatch.GetTimestamp() + (long)(FoldTimeout.TotalSeconds * Stopwatch.Frequency);
            DateTimeOffset? foldedAt = null;
            while (foldedAt is null && Stopwatch.GetTimestamp() < deadline)
            {
                using var view = await http.GetAsync(new Uri(gateway, "api/v1/enterprises/" + record.SubjectId), cancellationToken);
                if (view.StatusCode == HttpStatusCode.OK)
                {
                    using var state = JsonDocument.Parse(await view.Content.ReadAsByteArrayAsync(cancellationToken));
                    if (state.RootElement.GetProperty("lastAppliedSequence").GetInt64() >= sequence)
                    {
                        foldedAt = state.RootElement.GetProperty("asOf").GetDateTimeOffset();
                        break;
                    }
                }

                await Task.Delay(ReadInterval, cancellationToken);
            }

            if (foldedAt is { } at)
            {
                folded.Add(Math.Max(0, (at - answeredAt).TotalMilliseconds));
            }
            else
            {
                unresolved++;
            }
        }

        return new TrickleResult(folded, posts, unresolved);
    }
}
