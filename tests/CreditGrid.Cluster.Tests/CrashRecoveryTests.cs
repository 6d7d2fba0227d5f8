using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Streaming;
using CreditGrid.Simulator;
using CreditGrid.Storage.PostgreSql;
using CreditGrid.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Runtime;

namespace CreditGrid.Cluster.Tests;

/// <summary>
/// The invariants of a system of record under the loss of a process: 2 silos, 1 gateway and PostgreSQL as separate
/// processes; the silo hosting most enterprises is SIGKILLed while records stream in, then restarted.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Enterprises = 600;
    private const int MinimumEvents = 20_000;
    private const int BatchSize = 1_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Fact]
    public async Task SiloKilledMidStreamLosesNothingAndAppliesNothingTwice()
    {
        RequirePostgres();
        var cancellation = TestContext.Current.CancellationToken;
        await using var cluster = await LocalCluster.StartAsync(silos: 2, gateways: 1);
        using var http = cluster.CreateHttpClient(TimeSpan.FromSeconds(60));
        var batches = CreateBatches();
        var acknowledged = new ConcurrentDictionary<(string Department, string RecordId), (string Subject, long Sequence)>();

        using var client = await ConnectClientAsync(cluster.ConnectionString);
        var killAfter = batches.Count * 2 / 5;
        var posted = 0;
        var killedSilo = 0;
        var sinceKill = new Stopwatch();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellation }, async (batch, ct) =>
        {
            await PostUntilAcknowledgedAsync(http, batch, acknowledged, ct);
            if (Interlocked.Increment(ref posted) == killAfter)
            {
                killedSilo = await SiloHostingMostEnterprisesAsync(client.Services.GetRequiredService<IGrainFactory>(), cluster);
                await cluster.KillSiloAsync(killedSilo);
                sinceKill.Start();
                output.WriteLine($"SIGKILL silo {killedSilo} after {posted} of {batches.Count} batches");
            }
        });
        // The client only found the silo to kill. Stopped before it is disposed, so its hosted services end as on a
        // shutdown instead of reporting their cancellation as failures.
        await client.StopAsync(cancellation);
        var postedBy = sinceKill.Elapsed;
        await cluster.StartSiloAsync(killedSilo);
        var restartedBy = sinceKill.Elapsed;

        var expected = acknowledged.Values.GroupBy(v => v.Subject).ToDictionary(g => g.Key, g => g.Max(v => v.Sequence));
        var views = await WaitUntilAllFoldedAsync(http, expected, TimeSpan.FromMinutes(4), cancellation);
        var recovery = sinceKill.Elapsed;
        output.WriteLine($"{acknowledged.Count} records acknowledged over {expected.Count} enterprises; all reads correct {recovery.TotalSeconds:F1} s after the SIGKILL " +
            $"(the last batch acknowledged after {postedBy.TotalSeconds:F1} s, the silo restarted after {restartedBy.TotalSeconds:F1} s)");

        Assert.True(acknowledged.Count >= MinimumEvents, $"only {acknowledged.Count} records were acknowledged");
        Assert.All(expected, e => Assert.Equal(e.Value, views[e.Key].LastAppliedSequence));
        await AssertLiveStateEqualsReplayAsync(cluster.ConnectionString, views, cancellation);
        await AssertEveryAcknowledgedRecordIsInTheLogAsync(cluster.ConnectionString, acknowledged.Keys, cancellation);

        var resubmitted = new ConcurrentDictionary<(string, string), (string, long)>();
        var duplicates = 0;
        foreach (var batch in batches)
        {
            duplicates += (await PostUntilAcknowledgedAsync(http, batch, resubmitted, cancellation)).Duplicates;
        }

        var after = await WaitUntilAllFoldedAsync(http, expected, TimeSpan.FromSeconds(30), cancellation);
        Assert.Equal(acknowledged.Count, duplicates);
        Assert.All(expected, e => Assert.Equal(views[e.Key].Score, after[e.Key].Score));
        Assert.All(expected, e => Assert.Equal(e.Value, after[e.Key].LastAppliedSequence));
    }

    private static void RequirePostgres()
    {
        if (PostgresServer.FindBinaries() is not null)
        {
            return;
        }

        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "PostgreSQL binaries are required in CI.");
        Assert.Skip("PostgreSQL binaries not found (initdb on PATH or PG_BIN): the multi-process crash test needs them.");
    }

    private static List<string> CreateBatches()
    {
        var province = new ProvinceSimulator(new ProvinceOptions { Enterprises = Enterprises, GovernmentBodies = 0, Seed = 4242 }, DateTimeOffset.UtcNow);
        var events = province.History().ToList();
        while (events.Count < MinimumEvents + BatchSize)
        {
            events.Add(province.NextLiveEvent());
        }

        return events.Chunk(BatchSize).Select(chunk => string.Join('\n', chunk.Select(CreditRecordWriter.ToNdjsonLine))).ToList();
    }

    /// <summary>Posting is idempotent, so a batch whose answer was lost is simply sent again.</summary>
    private static async Task<BatchAnswer> PostUntilAcknowledgedAsync(
        HttpClient http, string ndjson, ConcurrentDictionary<(string, string), (string, long)> acknowledged, CancellationToken cancellationToken)
    {
        var lines = ndjson.Split('\n');
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
                using var response = await http.PostAsync("/api/v1/events", content, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var answer = (await response.Content.ReadFromJsonAsync<BatchAnswer>(Json, cancellationToken))!;
                    foreach (var result in answer.Results)
                    {
                        Assert.NotEqual("rejected", result.Status);
                        var record = JsonDocument.Parse(lines[result.Index]).RootElement;
                        acknowledged[(record.GetProperty("sourceDepartment").GetString()!, result.RecordId!)] =
                            (record.GetProperty("subjectId").GetString()!, result.SubjectSequence!.Value);
                    }

                    return answer;
                }

                Assert.True((int)response.StatusCode >= 500, $"unexpected {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "a batch could not be acknowledged within 90 s");
            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task<IHost> ConnectClientAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:CreditGrid"] = connectionString,
            ["Orleans:ClusterId"] = "creditgrid-local",
            ["Orleans:ServiceId"] = "creditgrid",
        });
        builder.UseOrleansClient(client => client.AddCreditGridClient(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<int> SiloHostingMostEnterprisesAsync(IGrainFactory grains, LocalCluster cluster)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var busiest = statistics
            .Where(s => s.GrainType.Contains("EnterpriseGrain", StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress)
            .OrderByDescending(g => g.Sum(s => s.ActivationCount))
            .First().Key;
        return cluster.SiloIndexOfPort(busiest.Endpoint.Port);
    }

    private static async Task<Dictionary<string, EnterpriseAnswer>> WaitUntilAllFoldedAsync(
        HttpClient http, IReadOnlyDictionary<string, long> expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var views = new ConcurrentDictionary<string, EnterpriseAnswer>();
        var pending = expected.Keys.ToList();
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (subject, ct) =>
            {
                try
                {
                    using var response = await http.GetAsync($"/api/v1/enterprises/{subject}", ct);
                    if (response.IsSuccessStatusCode)
                    {
                        views[subject] = (await response.Content.ReadFromJsonAsync<EnterpriseAnswer>(Json, ct))!;
                    }
                }
                catch (HttpRequestException)
                {
                }
            });
            pending = pending.Where(s => !views.TryGetValue(s, out var v) || v.LastAppliedSequence < expected[s]).ToList();
            if (pending.Count > 0)
            {
                await Task.Delay(250, cancellationToken);
            }
        }

        Assert.True(pending.Count == 0, $"{pending.Count} enterprises were not fully folded within {timeout}");
        return new Dictionary<string, EnterpriseAnswer>(views);
    }

    private static async Task AssertLiveStateEqualsReplayAsync(string connectionString, IReadOnlyDictionary<string, EnterpriseAnswer> views, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var log = new PostgresCreditEventLog(dataSource, new CreditLogPartitioner(new CreditLogStreamOptions().Partitions));
        var evaluator = new CreditEvaluator(CreditRules.Default);
        foreach (var (subject, live) in views)
        {
            var replay = evaluator.Initial(subject, live.AsOf);
            foreach (var logged in await log.ReadSubjectAsync(subject, 0, 100_000, cancellationToken))
            {
                replay = evaluator.Evolve(replay, logged, live.AsOf);
            }

            Assert.Equal(replay.LastAppliedSequence, live.LastAppliedSequence);
            Assert.Equal(replay.Score, live.Score);
            Assert.Equal(replay.Grade, live.Grade);
            Assert.Equal(replay.Tier, live.Tier);
            Assert.Equal(replay.Dimensions, live.Dimensions);
        }
    }

    private static async Task AssertEveryAcknowledgedRecordIsInTheLogAsync(string connectionString, ICollection<(string Department, string RecordId)> acknowledged, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var logged = new HashSet<(string, string)>();
        await using var command = dataSource.CreateCommand("SELECT source_department, record_id FROM credit_event_keys");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            logged.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.Equal(acknowledged.Count, logged.Count);
        Assert.All(acknowledged, key => Assert.Contains(key, logged));
    }

    private sealed record BatchAnswer(int Accepted, int Duplicates, int Rejected, IReadOnlyList<RecordAnswer> Results);

    private sealed record RecordAnswer(int Index, string? RecordId, string Status, long? SubjectSequence);

    private sealed record EnterpriseAnswer(string Uscc, int Score, CreditGrade Grade, SupervisionTier Tier, DimensionScores Dimensions, long LastAppliedSequence, DateTimeOffset AsOf);
}
