using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CreditGrid.Domain.Events;

namespace CreditGrid.Bench.Ingest;

/// <summary>How the read side caught up: when the last subject was folded, or how many had not been by the deadline.</summary>
public sealed record FoldResult(TimeSpan? UntilAllFolded, int Lagging, int Rounds, long Reads);

/// <summary>
/// Reads every subject back through the public API until its <c>lastAppliedSequence</c> reaches the highest sequence
/// the 202 answers gave it, i.e. until every acknowledged record is folded into a score a caller can read.
/// </summary>
public static class FoldWaiter
{
    private const int Readers = 8;
    private static readonly TimeSpan PauseBetweenRounds = TimeSpan.FromMilliseconds(200);

    public static async Task<FoldResult> WaitAsync(
        HttpClient http, Uri baseAddress, IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, SubjectType> types,
        long startedTimestamp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        var pending = expected.Keys.ToList();
        var rounds = 0;
        long reads = 0;
        // Bounded: each round reads the pending subjects once; rounds stop at the deadline.
        while (pending.Count > 0 && waiting.Elapsed < timeout)
        {
            rounds++;
            var stillPending = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Readers, CancellationToken = cancellationToken }, async (uscc, ct) =>
            {
                if (waiting.Elapsed >= timeout)
                {
                    stillPending.Add(uscc);
                    return;
                }

                Interlocked.Increment(ref reads);
                var applied = await LastAppliedAsync(http, baseAddress, uscc, types[uscc], ct);
                if (applied < expected[uscc])
                {
                    stillPending.Add(uscc);
                }
            });
            pending = [.. stillPending];
            if (pending.Count > 0)
            {
                await Task.Delay(PauseBetweenRounds, cancellationToken);
            }
        }

        return new FoldResult(pending.Count == 0 ? Stopwatch.GetElapsedTime(startedTimestamp) : null, pending.Count, rounds, reads);
    }

    private static async Task<long> LastAppliedAsync(HttpClient http, Uri baseAddress, string uscc, SubjectType type, CancellationToken cancellationToken)
    {
        var path = type == SubjectType.GovernmentBody ? "api/v1/government-bodies/" : "api/v1/enterprises/";
        using var response = await http.GetAsync(new Uri(baseAddress, path + uscc), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // No record of the subject has been folded yet.
            return 0;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkFailedException($"GET {path}{uscc} was answered {(int)response.StatusCode}.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var view = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return view.RootElement.GetProperty("lastAppliedSequence").GetInt64();
    }
}
