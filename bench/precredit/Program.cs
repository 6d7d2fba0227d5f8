using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CreditGrid.Bench.Ingest;
using CreditGrid.Bench.PreCredit;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;
using CreditGrid.Models.Training.Serving;
using CreditGrid.Simulator;
using CreditGrid.Simulator.PreCredit;

// Pre-credit decisions through the gateway at 32 concurrent requests, beside a constant endpoint of the same gateway
// and a bare in-process prediction of the same model, all in one run.
var enterprises = Option("--enterprises", 200);
var requests = Option("--requests", 20_000);
const int concurrency = 32;
var root = FindRoot();
var gatewayDll = Path.Combine(root, "src/Gateway/bin/Release/net10.0/CreditGrid.Gateway.dll");
var modelPath = Path.Combine(root, "models/shipped/precredit-default.zip");
var now = DateTimeOffset.UtcNow;

Console.WriteLine($"inputs: {enterprises} simulated enterprises (seed 2023), {requests:N0} requests per measurement, {concurrency} concurrent, {Environment.ProcessorCount} cores");

// 1. The same model in process: features of the simulated enterprises, then the bare prediction.
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
var bare = Latency.Measure(requests, i => model.Score(inputs[i % inputs.Length]));
var withEnvelope = Latency.Measure(requests, i =>
{
    var input = inputs[i % inputs.Length];
    model.Score(input);
    model.NonIncreasingIn(input, scoreAt, 0, 25, 1000);
});

// 2. The gateway: load the enterprises as an admin and authorise one bank for all of them; the bank then asks for
// the decisions with its own token, as a bank does (the gateway checks that the bank in the request is the token's).
var bank = UsccGenerator.Create(new Random(99), '9', '1', "610100");
var adminToken = await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "admin", "--subject", "precredit-benchmark"], CancellationToken.None);
var bankToken = await GatewayProcess.MintTokenAsync(gatewayDll, ["--role", "bank", "--uscc", bank, "--subject", "precredit-benchmark-bank"], CancellationToken.None);
await using var gateway = GatewayProcess.Start(gatewayDll, partitions: 16, ["--CreditGrid:Dashboard:Enabled=false"]);
using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = gateway.BaseAddress,
};
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

client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bankToken);
var bodies = borrowers.Select(b => JsonContent.Create(new { bank, enterprise = b.Uscc, amount = 500_000, purpose = "working capital" })).ToArray();
async Task Ping(int _)
{
    using var response = await client.GetAsync("/api/v1/ping");
    response.EnsureSuccessStatusCode();
}

var outcomes = new int[3];
async Task Decide(int i)
{
    using var body = new StringContent(await bodies[i % bodies.Length].ReadAsStringAsync(), Encoding.UTF8, "application/json");
    using var response = await client.PostAsync("/api/v1/precredit", body);
    response.EnsureSuccessStatusCode();
    var decision = await response.Content.ReadFromJsonAsync<JsonObject>();
    Interlocked.Increment(ref outcomes[decision!["decision"]!.GetValue<string>() switch { "APPROVE_INDICATIVE" => 0, "REFER" => 1, _ => 2 }]);
}

// Warm-up of both paths (connections, JIT, grain activations), then the measurements, each twice, interleaved.
await Latency.MeasureAsync(concurrency, 3_000, Ping);
await Latency.MeasureAsync(concurrency, 3_000, Decide);
Array.Clear(outcomes);
var ping = await Latency.MeasureAsync(concurrency, requests, Ping);
var decisions = await Latency.MeasureAsync(concurrency, requests, Decide);

Console.WriteLine();
Console.WriteLine("measure                                      p50 ms    p99 ms    max ms      per s");
Print("bare in-process prediction (1 thread)", bare);
Print("prediction + monotone PD envelope (1 thread)", withEnvelope);
Print("GET /api/v1/ping (baseline)", ping);
Print("POST /api/v1/precredit", decisions);
Console.WriteLine();
Console.WriteLine(FormattableString.Invariant($"decisions: {outcomes[0]:N0} APPROVE_INDICATIVE, {outcomes[1]:N0} REFER, {outcomes[2]:N0} REJECT"));
Console.WriteLine(FormattableString.Invariant($"ratio p99 decision / p99 ping: {decisions.P99 / ping.P99:F2} (target ≤ 3); p99 decision {decisions.P99:F2} ms (target ≤ 5 ms)"));
return decisions.P99 <= 5 && decisions.P99 <= 3 * ping.P99 ? 0 : 1;

static void Print(string name, Latency.Result r) =>
    Console.WriteLine(FormattableString.Invariant($"{name,-44} {r.P50,7:F3}   {r.P99,7:F3}   {r.Max,7:F2}   {r.PerSecond,8:N0}"));

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
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
