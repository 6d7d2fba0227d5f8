using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using CreditGrid.Domain.Events;

namespace CreditGrid.Bench.Ingest;

/// <summary>What the probe saw: ack→readable latencies of the sampled records, and what reading them cost.</summary>
/// <param name="FoldedMilliseconds">
/// For the samples whose showing answer had the sampled record as the last one applied: from the 202 to the instant the
/// grain folded it (the answer's <c>asOf</c>), on the machine's one clock.
/// </param>
public sealed record ProbeResult(
    IReadOnlyList<double> Milliseconds,
    IReadOnlyList<double> LowerBoundMilliseconds,
    IReadOnlyList<double> UntilSentMilliseconds,
    IReadOnlyList<double> FoldedMilliseconds,
    int Sampled,
    int Unresolved,
    long Reads,
    int Rounds,
    double MeanRoundMilliseconds,
    double MeanGetMilliseconds);

/// <summary>
/// Measures, for a sample of records spread evenly over the history (one per subject), the time from the 202 that
/// acknowledged a record until the subject's read API shows <c>lastAppliedSequence</c> at or past that record's
/// sequence. A few readers poll only the records that are acknowledged and not yet readable, with a short pause
/// between rounds, so the probe adds little load next to the ingest it observes. A latency is taken when the answer
/// that first shows the record arrives, an upper bound; the last answer that did not show it yet (or the 202 itself)
/// gives the matching lower bound, so the two bracket the true figure and their gap is the probe's resolution.
/// Each sample is its subject's last record in the run, so the answer that shows it also carries, as <c>asOf</c>, the
/// instant the subject's grain folded it; the benchmark, the gateway and the silo share one machine and one clock, so
/// that instant minus the 202's gives the latency without waiting for a reader.
/// </summary>
public sealed class AckLatencyProbe
{
    private static readonly TimeSpan PauseBetweenRounds = TimeSpan.FromMilliseconds(20);
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly int _readers;
    private readonly Dictionary<int, List<(int Index, string Subject, SubjectType Type)>> _targetsByBatch = [];
    private readonly Channel<Pending> _acknowledged = Channel.CreateUnbounded<Pending>();
    private readonly DateTimeOffset _wallClockOrigin = DateTimeOffset.UtcNow;
    private readonly long _timestampOrigin = Stopwatch.GetTimestamp();

    public AckLatencyProbe(HttpClient http, Uri baseAddress, IReadOnlyList<CreditEvent[]> batches, int samples, int readers)
    {
        _http = http;
        _baseAddress = baseAddress;
        _readers = readers;
        var flat = batches.SelectMany((batch, b) => batch.Select((e, i) => (Batch: b, Index: i, Event: e))).ToArray();
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var position = 0; position < flat.Length; position++)
        {
            last[flat[position].Event.SubjectId] = position;
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        var step = Math.Max(1, flat.Length / Math.Max(1, samples));
        // The subject of every step-th record (moving on to the next unsampled subject when one is taken already), through
        // its last record of the run.
        for (var position = 0; position < flat.Length && Sampled < samples; position += step)
        {
            var p = position;
            while (p < flat.Length && taken.Contains(flat[p].Event.SubjectId))
            {
                p++;
            }

            if (p >= flat.Length)
            {
                break;
            }

            taken.Add(flat[p].Event.SubjectId);
            var (batch, index, e) = flat[last[flat[p].Event.SubjectId]];
            if (!_targetsByBatch.TryGetValue(batch, out var list))
            {
                _targetsByBatch[batch] = list = [];
            }

            list.Add((index, e.SubjectId, e.SubjectType));
            Sampled++;
        }
    }

    public int Sampled { get; }

    /// <summary>Called by the posters for every 202; hands the sampled records of the batch to the readers.</summary>
    public void OnAcknowledged(int batch, long answeredTimestamp, long[] sequences)
    {
        if (_targetsByBatch.TryGetValue(batch, out var targets))
        {
            foreach (var (index, subject, type) in targets)
            {
                if (sequences[index] > 0)
                {
                    _acknowledged.Writer.TryWrite(new Pending(subject, type, sequences[index], answeredTimestamp, WallClockAt(answeredTimestamp)));
                }
            }
        }
    }

    /// <summary>The wall-clock instant of a <see cref="Stopwatch"/> timestamp, through the pair taken when the probe was made.</summary>
    private DateTimeOffset WallClockAt(long timestamp) => _wallClockOrigin + Stopwatch.GetElapsedTime(_timestampOrigin, timestamp);

    /// <summary>No more acknowledgements will come; the readers finish once the pending records are readable or at the deadline.</summary>
    public void Complete() => _acknowledged.Writer.TryComplete();

    /// <summary>Polls until <see cref="Complete"/> was called and every acknowledged sample is readable, or <paramref name="timeoutAfterComplete"/> passed.</summary>
    public async Task<ProbeResult> RunAsync(TimeSpan timeoutAfterComplete, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var lowerBounds = new List<double>();
        var untilSent = new List<double>();
        var folded = new List<double>();
        var pending = new List<Pending>();
        long reads = 0;
        long getTicks = 0;
        var rounds = 0;
        var roundTime = TimeSpan.Zero;
        Stopwatch? sinceComplete = null;
        while (true)
        {
            while (_acknowledged.Reader.TryRead(out var next))
            {
                pending.Add(next);
            }

            if (_acknowledged.Reader.Completion.IsCompleted)
            {
                sinceComplete ??= Stopwatch.StartNew();
                if (pending.Count == 0 || sinceComplete.Elapsed > timeoutAfterComplete)
                {
                    break;
                }
            }

            if (pending.Count == 0)
            {
                // Nothing acknowledged yet: sleep until a 202 brings a sample or ingest ends.
                await _acknowledged.Reader.WaitToReadAsync(cancellationToken);
                continue;
            }

            rounds++;
            var roundStarted = Stopwatch.GetTimestamp();
            var readable = new bool[pending.Count];
            var foldedAt = new DateTimeOffset?[pending.Count];
            var seenAt = new long[pending.Count];
            var sentAt = new long[pending.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, pending.Count), new ParallelOptions { MaxDegreeOfParallelism = _readers, CancellationToken = cancellationToken }, async (k, ct) =>
            {
                Interlocked.Increment(ref reads);
                var sent = sentAt[k] = Stopwatch.GetTimestamp();
                var (applied, asOf) = await LastAppliedAsync(pending[k].Subject, pending[k].Type, ct);
                seenAt[k] = Stopwatch.GetTimestamp();
                Interlocked.Add(ref getTicks, seenAt[k] - sent);
                readable[k] = applied >= pending[k].Sequence;
                foldedAt[k] = applied == pending[k].Sequence ? asOf : null;
            });
            roundTime += Stopwatch.GetElapsedTime(roundStarted);

            var still = new List<Pending>(pending.Count);
            for (var k = 0; k < pending.Count; k++)
            {
                if (readable[k])
                {
                    latencies.Add(Stopwatch.GetElapsedTime(pending[k].AnsweredTimestamp, seenAt[k]).TotalMilliseconds);
                    // How long the sample waited for a reader before the GET that showed it was sent.
                    untilSent.Add(Stopwatch.GetElapsedTime(pending[k].AnsweredTimestamp, sentAt[k]).TotalMilliseconds);
                    lowerBounds.Add(Stopwatch.GetElapsedTime(pending[k].AnsweredTimestamp, pending[k].LastNotReadable ?? pending[k].AnsweredTimestamp).TotalMilliseconds);
                    if (foldedAt[k] is { } at)
                    {
                        // At least 0: a record folds after its commit, and the 202 can reach the poster a little later.
                        folded.Add(Math.Max(0, (at - pending[k].AnsweredAt).TotalMilliseconds));
                    }
                }
                else
                {
                    still.Add(pending[k] with { LastNotReadable = seenAt[k] });
                }
            }

            pending = still;
            await Task.Delay(PauseBetweenRounds, cancellationToken);
        }

        return new ProbeResult(latencies, lowerBounds, untilSent, folded, Sampled, Sampled - latencies.Count, reads, rounds, rounds == 0 ? 0 : roundTime.TotalMilliseconds / rounds,
            reads == 0 ? 0 : getTicks * 1000.0 / Stopwatch.Frequency / reads);
    }

    private async Task<(long Applied, DateTimeOffset? AsOf)> LastAppliedAsync(string uscc, SubjectType type, CancellationToken cancellationToken)
    {
        var path = type == SubjectType.GovernmentBody ? "api/v1/government-bodies/" : "api/v1/enterprises/";
        using var response = await _http.GetAsync(new Uri(_baseAddress, path + uscc), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // No record of the subject has been folded yet.
            return (0, null);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkFailedException($"GET {path}{uscc} was answered {(int)response.StatusCode}.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var view = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return (view.RootElement.GetProperty("lastAppliedSequence").GetInt64(), view.RootElement.GetProperty("asOf").GetDateTimeOffset());
    }

    private sealed record Pending(string Subject, SubjectType Type, long Sequence, long AnsweredTimestamp, DateTimeOffset AnsweredAt, long? LastNotReadable = null);
}
