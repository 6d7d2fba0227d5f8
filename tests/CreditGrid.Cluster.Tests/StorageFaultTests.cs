using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Simulator;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.Cluster.Tests;

/// <summary>
/// Faults of the production path against real processes: PostgreSQL down while a silo starts, PostgreSQL restarted
/// under ingest, and a gateway SIGKILLed while large batches are in flight.
/// </summary>
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task SiloStartedWhilePostgresIsDownWaitsWithWarningsAndJoinsOnceItIsUp()
    {
        RequirePostgres();
        var cancellation = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(silos: 1, gateways: 1);
        using var http = cluster.CreateHttpClient(TimeSpan.FromSeconds(30));
        var batch = CreateBatches(enterprises: 50, batchSize: 200, seed: 11).First();

        await cluster.KillSiloAsync(1);
        await cluster.StopPostgresAsync();
        var warningsBefore = CountOccurrences(cluster.Logs("silo1"), "is unreachable (attempt");
        await cluster.StartSiloAsync(1);

        // Attempts 1, 2 and 3 come at about 0, 1 and 3 s: three warnings show a retry loop, not a crash loop.
        var expectedServer = $"PostgreSQL at 127.0.0.1:{cluster.PostgresPort} is unreachable";
        await WaitUntilAsync(() => CountOccurrences(cluster.Logs("silo1"), "is unreachable (attempt") - warningsBefore >= 3, TimeSpan.FromSeconds(30), "three startup warnings");
        var log = cluster.Logs("silo1");
        Assert.Contains(expectedServer, log);
        Assert.True(cluster.IsRunning("silo1"), "the silo exited while PostgreSQL was down:\n" + log);
        output.WriteLine(log.Split('\n').Last(l => l.Contains("is unreachable", StringComparison.Ordinal)).Trim());

        await cluster.StartPostgresAsync();
        var sinceUp = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await TryGetAsync(http, "/health/ready", cancellation)) == HttpStatusCode.OK, TimeSpan.FromSeconds(75), "gateway readiness");
        output.WriteLine($"gateway ready {sinceUp.Elapsed.TotalSeconds:F1} s after PostgreSQL came back");
        Assert.Contains("is reachable after", cluster.Logs("silo1"));

        var acknowledged = new ConcurrentDictionary<(string, string), (string, long)>();
        await PostUntilAcknowledgedAsync(http, batch, acknowledged, cancellation);
        await WaitUntilAllFoldedAsync(http, HighestSequences(acknowledged), TimeSpan.FromSeconds(60), cancellation);
        output.WriteLine($"{acknowledged.Count} records folded; test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task PostgresRestartedWhileIngestingAnswers503AndLosesOrDoublesNothing()
    {
        RequirePostgres();
        var cancellation = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(silos: 1, gateways: 1);
        using var http = cluster.CreateHttpClient(TimeSpan.FromSeconds(30));
        var batches = CreateBatches(enterprises: 300, batchSize: 400, seed: 77).Take(32).ToList();
        output.WriteLine($"cluster up and batches built at {clock.Elapsed.TotalSeconds:F1} s");
        var acknowledged = new ConcurrentDictionary<(string, string), (string, long)>();
        var refused = new ConcurrentDictionary<string, bool>();
        var statuses = new ConcurrentDictionary<int, int>();
        var queue = new ConcurrentQueue<string>(batches);
        var posted = 0;
        var duplicates = 0;
        var outage = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var backUpAt = TimeSpan.MaxValue;
        var lastRefusedAt = TimeSpan.Zero;
        var firstAcceptedAfterOutage = TimeSpan.MaxValue;

        async Task PosterAsync()
        {
            // A refused batch goes to the back of the queue, so posting goes on through the outage and the restart
            // until every batch is acknowledged.
            while (queue.TryDequeue(out var batch) && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                var (status, batchDuplicates) = await PostOnceAsync(http, batch, acknowledged, cancellation);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status == 202)
                {
                    Interlocked.Add(ref duplicates, batchDuplicates);
                    if (outage.Task.IsCompleted && firstAcceptedAfterOutage == TimeSpan.MaxValue)
                    {
                        firstAcceptedAfterOutage = clock.Elapsed;
                    }
                }
                else
                {
                    lastRefusedAt = clock.Elapsed;
                    refused[batch] = true;
                    queue.Enqueue(batch);
                    await Task.Delay(200, cancellation);
                }

                if (Interlocked.Increment(ref posted) == batches.Count / 4)
                {
                    _ = RestartPostgresAsync();
                }
            }
        }

        async Task RestartPostgresAsync()
        {
            try
            {
                var down = Stopwatch.StartNew();
                await cluster.StopPostgresAsync();
                await Task.Delay(TimeSpan.FromSeconds(3), cancellation);
                await cluster.StartPostgresAsync();
                backUpAt = clock.Elapsed;
                outage.SetResult(down.Elapsed);
            }
            catch (Exception ex)
            {
                outage.SetException(ex);
            }
        }

        await Task.WhenAll(PosterAsync(), PosterAsync());
        var downFor = await outage.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellation);
        output.WriteLine($"PostgreSQL down for {downFor.TotalSeconds:F1} s (stop, 3 s, start); answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value} x {s.Key}"))}; " +
            $"last 503 {(lastRefusedAt - backUpAt).TotalSeconds:F1} s and first 202 {(firstAcceptedAfterOutage - backUpAt).TotalSeconds:F1} s after PostgreSQL was back; " +
            $"{refused.Count} batches refused at least once and resubmitted ({duplicates} records came back as duplicates); posting done at {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Empty(queue);
        Assert.All(statuses.Keys, status => Assert.True(status is 202 or 503, $"unexpected status {status}"));
        Assert.True(statuses.GetValueOrDefault(503) > 0, "no request met the outage: the test did not exercise it");
        await AssertAcknowledgedAreLoggedAsync(cluster.ConnectionString, acknowledged.Keys, cancellation);

        var total = batches.Sum(b => b.Split('\n').Length);
        Assert.Equal(total, acknowledged.Count);
        var (events, distinct, keys) = await CountLogAsync(cluster.ConnectionString, cancellation);
        Assert.Equal(total, events);
        Assert.Equal(total, distinct);
        Assert.Equal(total, keys);

        // Once everything is in, every record of every batch is a duplicate carrying the sequence it was given.
        var again = new ConcurrentDictionary<(string, string), (string, long)>();
        foreach (var batch in batches)
        {
            Assert.Equal(0, (await PostUntilAcknowledgedAsync(http, batch, again, cancellation)).Accepted);
        }

        Assert.All(acknowledged, a => Assert.Equal(a.Value, again[a.Key]));
        output.WriteLine($"every batch resubmitted as duplicates at {clock.Elapsed.TotalSeconds:F1} s");
        await WaitUntilAllFoldedAsync(http, HighestSequences(acknowledged), TimeSpan.FromSeconds(90), cancellation);
        output.WriteLine($"all {HighestSequences(acknowledged).Count} subjects caught up; test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task GatewayKilledMidBatchLeavesEachBatchWhollyInTheLogOrNotAtAll()
    {
        RequirePostgres();
        var cancellation = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(silos: 1, gateways: 1);
        using var http = cluster.CreateHttpClient(TimeSpan.FromSeconds(60));
        var batches = CreateBatches(enterprises: 1_000, batchSize: 10_000, seed: 303).Take(6).ToList();
        var states = new ConcurrentDictionary<int, string>();
        var acknowledged = new ConcurrentDictionary<(string, string), (string, long)>();
        var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = -1;

        async Task PosterAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                states[index] = "in flight";
                try
                {
                    var (status, _) = await PostOnceAsync(http, batches[index], acknowledged, cancellation);
                    states[index] = status == 202 ? "acknowledged" : $"answered {status}";
                    firstAnswer.TrySetResult();
                }
                catch (HttpRequestException)
                {
                    // The connection died with the gateway: the outcome of this batch is unknown to the client.
                    states[index] = "lost";
                    return;
                }
            }
        }

        var posters = Enumerable.Range(0, 3).Select(_ => PosterAsync()).ToList();
        await firstAnswer.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellation);
        // A moment after an answer the other posters are mid-batch: reading, parsing or inside the append transaction.
        await Task.Delay(300, cancellation);
        await cluster.KillGatewayAsync(1);
        await Task.WhenAll(posters);
        output.WriteLine("at the SIGKILL: " + string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"batch {s.Key} {s.Value}")));

        var lost = states.Where(s => s.Value == "lost").Select(s => s.Key).ToList();
        Assert.NotEmpty(lost);
        foreach (var (index, state) in states.OrderBy(s => s.Key))
        {
            var keys = KeysOf(batches[index]);
            var logged = await CountLoggedKeysAsync(cluster.ConnectionString, keys, cancellation);
            output.WriteLine($"batch {index} ({state}): {logged} of {keys.Count} records in the log");
            if (state == "acknowledged")
            {
                Assert.Equal(keys.Count, logged);
            }
            else
            {
                Assert.True(logged == 0 || logged == keys.Count, $"batch {index} was cut: {logged} of {keys.Count} records are in the log");
            }
        }

        // The restarted gateway serves on the same port, and resubmitting makes every batch whole.
        await cluster.StartGatewayAsync(1);
        await WaitUntilAsync(async () => (await TryGetAsync(http, "/health/ready", cancellation)) == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "restarted gateway readiness");
        foreach (var index in lost)
        {
            await PostUntilAcknowledgedAsync(http, batches[index], acknowledged, cancellation);
        }

        foreach (var (index, _) in states)
        {
            Assert.Equal(KeysOf(batches[index]).Count, await CountLoggedKeysAsync(cluster.ConnectionString, KeysOf(batches[index]), cancellation));
        }

        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static void RequirePostgres()
    {
        if (PostgresServer.FindBinaries() is not null)
        {
            return;
        }

        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "PostgreSQL binaries are required in CI.");
        Assert.Skip("PostgreSQL binaries not found (initdb on PATH or PG_BIN): the storage fault tests need them.");
    }

    private static IEnumerable<string> CreateBatches(int enterprises, int batchSize, int seed)
    {
        var province = new ProvinceSimulator(new ProvinceOptions { Enterprises = enterprises, GovernmentBodies = 0, Seed = seed }, DateTimeOffset.UtcNow);
        var events = province.History().ToList();
        for (var i = 0; ; i++)
        {
            while (events.Count < (i + 1) * batchSize)
            {
                events.Add(province.NextLiveEvent());
            }

            yield return string.Join('\n', events.Skip(i * batchSize).Take(batchSize).Select(CreditRecordWriter.ToNdjsonLine));
        }
    }

    private static List<(string Department, string RecordId)> KeysOf(string ndjson) =>
        [.. ndjson.Split('\n').Select(line => JsonDocument.Parse(line).RootElement).Select(r => (r.GetProperty("sourceDepartment").GetString()!, r.GetProperty("recordId").GetString()!))];

    /// <summary>
    /// One attempt. Anything but 202 must be a 503 ProblemDetails with Retry-After; a request that outlives the
    /// client timeout fails the test, because a client must never be left hanging.
    /// </summary>
    private static async Task<(int Status, int Duplicates)> PostOnceAsync(
        HttpClient http, string ndjson, ConcurrentDictionary<(string, string), (string, long)> acknowledged, CancellationToken cancellationToken)
    {
        using var content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync("/api/v1/events", content, cancellationToken);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"a batch got no answer within {http.Timeout.TotalSeconds:F0} s: {ex.Message}");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var answer = (await response.Content.ReadFromJsonAsync<BatchAnswer>(Json, cancellationToken))!;
                Record(ndjson, answer, acknowledged);
                return (202, answer.Duplicates);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"unexpected {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
            Assert.True(response.Headers.RetryAfter is not null, "a 503 without Retry-After");
            return ((int)response.StatusCode, 0);
        }
    }

    private static async Task<BatchAnswer> PostUntilAcknowledgedAsync(
        HttpClient http, string ndjson, ConcurrentDictionary<(string, string), (string, long)> acknowledged, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
                using var response = await http.PostAsync("/api/v1/events", content, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var answer = (await response.Content.ReadFromJsonAsync<BatchAnswer>(Json, cancellationToken))!;
                    Record(ndjson, answer, acknowledged);
                    return answer;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"unexpected {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "a batch could not be acknowledged within 60 s");
            await Task.Delay(250, cancellationToken);
        }
    }

    private static void Record(string ndjson, BatchAnswer answer, ConcurrentDictionary<(string, string), (string, long)> acknowledged)
    {
        var lines = ndjson.Split('\n');
        foreach (var result in answer.Results)
        {
            Assert.NotEqual("rejected", result.Status);
            var record = JsonDocument.Parse(lines[result.Index]).RootElement;
            var key = (record.GetProperty("sourceDepartment").GetString()!, result.RecordId!);
            var value = (record.GetProperty("subjectId").GetString()!, result.SubjectSequence!.Value);
            // A record acknowledged twice must keep its sequence: anything else would be a second copy in the log.
            var stored = acknowledged.GetOrAdd(key, value);
            Assert.Equal(stored, value);
        }
    }

    private static Dictionary<string, long> HighestSequences(ConcurrentDictionary<(string, string), (string Subject, long Sequence)> acknowledged) =>
        acknowledged.Values.GroupBy(v => v.Subject).ToDictionary(g => g.Key, g => g.Max(v => v.Sequence));

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {timeout.TotalSeconds:F0} s");
            await Task.Delay(250);
        }
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitUntilAllFoldedAsync(HttpClient http, IReadOnlyDictionary<string, long> expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = expected.Keys.ToList();
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            var folded = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (subject, ct) =>
            {
                try
                {
                    using var response = await http.GetAsync($"/api/v1/enterprises/{subject}", ct);
                    if (response.IsSuccessStatusCode
                        && (await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct)).GetProperty("lastAppliedSequence").GetInt64() == expected[subject])
                    {
                        folded.Add(subject);
                    }
                }
                catch (HttpRequestException)
                {
                }
            });
            pending = [.. pending.Except(folded)];
            if (pending.Count > 0)
            {
                await Task.Delay(250, cancellationToken);
            }
        }

        Assert.True(pending.Count == 0, $"{pending.Count} of {expected.Count} subjects did not reach their highest acknowledged sequence within {timeout}");
    }

    private static async Task AssertAcknowledgedAreLoggedAsync(string connectionString, ICollection<(string, string)> acknowledged, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var logged = new HashSet<(string, string)>();
        await using var command = dataSource.CreateCommand("SELECT source_department, record_id FROM credit_event_keys");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            logged.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.All(acknowledged, key => Assert.Contains(key, logged));
    }

    private static async Task<(long Events, long Distinct, long Keys)> CountLogAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM credit_events), (SELECT count(DISTINCT (source_department, record_id)) FROM credit_events), (SELECT count(*) FROM credit_event_keys)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static async Task<long> CountLoggedKeysAsync(string connectionString, List<(string Department, string RecordId)> keys, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*) FROM unnest($1::text[], $2::text[]) AS b(source_department, record_id)
            JOIN credit_event_keys k USING (source_department, record_id)
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.Department)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.RecordId)] });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed record BatchAnswer(int Accepted, int Duplicates, int Rejected, IReadOnlyList<RecordAnswer> Results);

    private sealed record RecordAnswer(int Index, string? RecordId, string Status, long? SubjectSequence);
}
