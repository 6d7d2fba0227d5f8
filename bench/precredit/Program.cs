using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Bench.Ingest;
using CreditGrid.Bench.Lookup;
using CreditGrid.Bench.PreCredit;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;
using CreditGrid.Models.Training.Serving;
using CreditGrid.Simulator;
using CreditGrid.Simulator.PreCredit;

// Pre-credit decisions through the gateway, driven by wrk, in rounds alternating with a constant endpoint of the same
// gateway, beside a bare in-process prediction of the same model, all in one run.
var enterprises = Option("--enterprises", 200);
var connections = Option("--connections", 32);
var threads = Option("--threads", 2);
var rounds = Option("--rounds", 3);
var duration = TimeSpan.FromSeconds(Option("--duration", 10));
var warmup = TimeSpan.FromSeconds(Option("--warmup", 20));
var settleMost = TimeSpan.FromSeconds(Option("--settle-max", 120));
var settleQuietMs = Option("--settle-jit-ms", 100);
var settleLeg = TimeSpan.FromSeconds(5);
var inProcessCalls = Option("--in-process-calls", 20_000);
var root = FindRoot();
var gatewayDll = Text("--gateway") ?? Path.Combine(root, "src/Gateway/bin/Release/net10.0/CreditGrid.Gateway.dll");
var gatewayArguments = Texts("--gateway-arg").Select(a => "--" + a).ToArray();
var modelPath = Path.Combine(root, "models/shipped/precredit-default.zip");
var now = DateTimeOffset.UtcNow;

Console.WriteLine("Pre-credit benchmark: POST /api/v1/precredit (bank token, consent, features, model, audit) beside GET /api/v1/ping (constant JSON), same gateway, same run");
Console.WriteLine($"  machine             {Environment.ProcessorCount} cores, load average {ProcessCpu.LoadAverage()} at the start, .NET {Environment.Version}");
Console.WriteLine($"  inputs              {enterprises} simulated enterprises (seed 2023), each authorising one bank; requests spread over them");
Console.WriteLine($"  load                wrk -t{threads} -c{connections}, {warmup.TotalSeconds:F0} s warm-up per endpoint, then legs of {settleLeg.TotalSeconds:F0} s until the gateway's JIT works < {settleQuietMs} ms per pair (at most {settleMost.TotalSeconds:F0} s), then {rounds} rounds of {duration.TotalSeconds:F0} s per endpoint, alternating; load generator on the same machine");
Console.WriteLine($"  gateway             {gatewayDll}{(gatewayArguments.Length > 0 ? " " + string.Join(' ', gatewayArguments) : "")}");

// 1. The same model in process: features of the simulated enterprises, then the bare prediction, single thread.
var evaluator = new CreditEvaluator(CreditRules.Default);
var simulator = new BorrowerSimulator(2023, DateOnly.FromDateTime(now.ToOffset(CreditRules.Default.LocalUtcOffset).DateTime));
var borrowers = Enumerable.Range(0, enterprises).Select(_ => simulator.Next()).ToArray();
var model = ServingModel.Load(modelPath);
var inputs = borrowers.Select(b =>
{
    var vector = PreCreditFeatureVector.ToVector(TrainingSetWriter.Features(evaluator, b, now));
    return model.FeatureNames.Select(n => vector[PreCreditFeatureVector.IndexOf(n)]).ToArray();
}).ToArray();
var scoreAt = model.IndexOf("composite_score");
Latency.Measure(2_000, i => model.Score(inputs[i % inputs.Length]));
Latency.Measure(2_000, i => model.ScoreWithEngine(inputs[i % inputs.Length]));
var engine = Latency.Measure(inProcessCalls, i => model.ScoreWithEngine(inputs[i % inputs.Length]));
var bare = Latency.Measure(inProcessCalls, i => model.Score(inputs[i % inputs.Length]));
// As the desk scores a decision: contributions and the envelope in one call.
var withEnvelope = Latency.Measure(inProcessCalls, i => model.ScoreNonIncreasingIn(inputs[i % inputs.Length], scoreAt, 0, 25, 1000));
Console.WriteLine(FormattableString.Invariant($"  in process          bare prediction p50 {bare.P50:F4} ms (compiled trees: {model.IsCompiled}; ML.NET's engine {engine.P50:F4} ms), with the PD envelope p50 {withEnvelope.P50:F4} ms"));

// 2. The gateway: load the enterprises as an admin and authorise one bank for all of them; the bank then asks for
// the decisions with its own token, as a bank does (the gateway checks that the bank in the request is the token's).
var bank = UsccGenerator.Create(new Random(99), '9', '1', "610100");
var adminToken = await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "admin", "--subject", "precredit-benchmark"], CancellationToken.None);
var bankToken = await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "bank", "--uscc", bank, "--subject", "precredit-benchmark-bank"], CancellationToken.None);
await using var gateway = GatewayProcess.Start(gatewayDll, partitions: 16, ["--CreditGrid:Dashboard:Enabled=false", .. gatewayArguments]);
using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
await gateway.WaitUntilReadyAsync(client, UsccGenerator.Create(new Random(1), '9', '1', "610103"), TimeSpan.FromSeconds(90), CancellationToken.None);
var lines = borrowers.SelectMany(b => b.Events).Select(CreditRecordWriter.ToNdjsonLine);
using (var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"))
using (var response = await client.PostAsync("/api/v1/events", content))
{
    response.EnsureSuccessStatusCode();
}

foreach (var b in borrowers)
{
    using var grant = await client.PostAsJsonAsync($"/api/v1/enterprises/{b.Uscc}/authorisations", new { bank, purpose = "working capital", expiresAt = now.AddDays(30) });
    grant.EnsureSuccessStatusCode();
    while (true)
    {
        var view = await client.GetFromJsonAsync<JsonObject>($"/api/v1/enterprises/{b.Uscc}");
        if (view?["lastAppliedSequence"]?.GetValue<long>() == b.Events.Count)
        {
            break;
        }

        await Task.Delay(20);
    }
}

// One decision per enterprise through the .NET client: every body wrk will send is checked to be answered 200, and
// the outcome mix of the load is known (wrk spreads its requests evenly over the same bodies).
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bankToken);
var bodies = borrowers.Select(b => JsonSerializer.Serialize(new { bank, enterprise = b.Uscc, amount = 500_000, purpose = "working capital" })).ToArray();
var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
foreach (var body in bodies)
{
    using var response = await client.PostAsync("/api/v1/precredit", new StringContent(body, Encoding.UTF8, "application/json"));
    response.EnsureSuccessStatusCode();
    var outcome = (await response.Content.ReadFromJsonAsync<JsonObject>())!["decision"]!.GetValue<string>();
    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
}

var bodiesFile = Path.Combine(Path.GetTempPath(), $"creditgrid-precredit-{Environment.ProcessId}.txt");
await File.WriteAllLinesAsync(bodiesFile, bodies);
try
{
    var environment = new Dictionary<string, string> { ["BODIES_FILE"] = bodiesFile, ["TOKEN"] = bankToken };
    var script = Path.Combine(AppContext.BaseDirectory, "precredit.lua");
    var ping = new Uri(gateway.BaseAddress, "api/v1/ping");
    var decide = new Uri(gateway.BaseAddress, "/");
    Task<WrkResult> Ping(TimeSpan d) => Wrk.RunAsync(ping, threads, connections, d, null, environment, CancellationToken.None);
    Task<WrkResult> Decide(TimeSpan d) => Wrk.RunAsync(decide, threads, connections, d, script, environment, CancellationToken.None);

    // Warm-up of both paths (connections, JIT, tiered compilation, grain activations), unmeasured.
    await Ping(warmup);
    await Decide(warmup);
    using var scraper = new HttpClient { BaseAddress = gateway.BaseAddress };
    var settling = await JitSettling.RunAsync(() => GatewayCounters.ReadAsync(scraper), settleMost, settleQuietMs, () => Ping(settleLeg), () => Decide(settleLeg));
    var (constant, decisions) = await AlternatingRounds.RunAsync(gateway, () => GatewayCounters.ReadAsync(scraper), rounds, () => Ping(duration), () => Decide(duration));

    Console.WriteLine();
    Console.WriteLine("  measure                                         p50 ms     p90 ms     p99 ms     max ms         per s    errors");
    InProcess("ML.NET engine prediction (1 thread)", engine);
    InProcess("bare in-process prediction (1 thread)", bare);
    InProcess("prediction + monotone PD envelope (1 thread)", withEnvelope);
    for (var round = 0; round < rounds; round++)
    {
        Http($"round {round + 1}: GET /api/v1/ping", constant.Rounds[round]);
        Http($"round {round + 1}: POST /api/v1/precredit", decisions.Rounds[round]);
    }

    Console.WriteLine("  all rounds (per s over the whole measured time; p50, p90, p99 the median of the rounds'):");
    Summary("GET /api/v1/ping (baseline)", constant);
    Summary("POST /api/v1/precredit", decisions);
    Console.WriteLine();
    var ratio = decisions.P99Ms / constant.P99Ms;
    var roundRatios = string.Join(", ", constant.Rounds.Zip(decisions.Rounds, (c, d) => (d.P99Ms / c.P99Ms).ToString("F2", CultureInfo.InvariantCulture)));
    Console.WriteLine(FormattableString.Invariant($"  outcome mix         {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))} (one decision per enterprise)"));
    Console.WriteLine(FormattableString.Invariant($"  p99 ratio           {ratio:F2}× the constant endpoint's p99 (target ≤ 3); per round {roundRatios}"));
    Console.WriteLine(FormattableString.Invariant($"  p99 decision        {decisions.P99Ms:F2} ms (target ≤ 5 ms)"));
    Console.WriteLine(FormattableString.Invariant($"  gateway CPU         {constant.CpuMicrosecondsPerRequest:F1} µs per constant request, {decisions.CpuMicrosecondsPerRequest:F1} µs per decision ({decisions.CpuMicrosecondsPerRequest / constant.CpuMicrosecondsPerRequest:F2}×); less sensitive to other load on the machine than the rates"));
    Console.WriteLine(FormattableString.Invariant($"  gateway allocations {constant.AllocatedBytesPerRequest:N0} bytes per constant request, {decisions.AllocatedBytesPerRequest:N0} bytes per decision (managed heap, from the gateway's metrics)"));
    Console.WriteLine(FormattableString.Invariant($"  gateway JIT         {Settling(settling)}; during the rounds {constant.JitMilliseconds:F0} ms (constant) and {decisions.JitMilliseconds:F0} ms (decisions)"));
    Console.WriteLine($"  load average        {ProcessCpu.LoadAverage()} at the end");
    var met = decisions.P99Ms <= 5 && ratio <= 3 && decisions.Errors == 0;
    Console.WriteLine($"  targets             {(met ? "met" : "NOT met")}");
    return met ? 0 : 1;
}
finally
{
    File.Delete(bodiesFile);
}

static string Settling(JitSettlingResult r) =>
    !r.Measurable ? "not measured (no metrics), no settling"
    : r.JitMillisecondsPerPair.Count == 0 ? "settling off"
    : FormattableString.Invariant($"{(r.Settled ? "settled" : "NOT settled")} after {r.Extra.TotalSeconds:F0} s more warm-up (ms per pair of legs: {string.Join(", ", r.JitMillisecondsPerPair.Select(ms => ms.ToString("F0", CultureInfo.InvariantCulture)))})");

static void InProcess(string name, Latency.Result r) =>
    Console.WriteLine(FormattableString.Invariant($"  {name,-44} {r.P50,8:F3}   {"",8}   {r.P99,8:F3}   {r.Max,8:F2}   {r.PerSecond,11:N0}"));

static void Http(string name, WrkResult r) =>
    Console.WriteLine(FormattableString.Invariant($"  {name,-44} {r.P50Ms,8:F3}   {r.P90Ms,8:F3}   {r.P99Ms,8:F3}   {"",8}   {r.RequestsPerSecond,11:N0}   {r.Errors,7:N0}"));

static void Summary(string name, EndpointRounds r) =>
    Console.WriteLine(FormattableString.Invariant($"  {name,-44} {r.P50Ms,8:F3}   {r.P90Ms,8:F3}   {r.P99Ms,8:F3}   {"",8}   {r.RequestsPerSecond,11:N0}   {r.Errors,7:N0}"));

int Option(string name, int fallback) =>
    Text(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

string? Text(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

IEnumerable<string> Texts(string name)
{
    for (var i = 0; i + 1 < args.Length; i++)
    {
        if (args[i] == name)
        {
            yield return args[i + 1];
        }
    }
}

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CreditGrid.slnx")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
}
