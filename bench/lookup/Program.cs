using System.CommandLine;
using CreditGrid.Bench.Ingest;
using CreditGrid.Bench.Lookup;

var subjects = new Option<int>("--subjects") { Description = "Warm enterprises to look up.", DefaultValueFactory = _ => 100_000 };
var connections = new Option<int>("--connections") { Description = "Concurrent connections of the load generator.", DefaultValueFactory = _ => 64 };
var threads = new Option<int>("--threads") { Description = "wrk threads.", DefaultValueFactory = _ => 2 };
var duration = new Option<int>("--duration") { Description = "Measured seconds per endpoint and round.", DefaultValueFactory = _ => 10 };
var rounds = new Option<int>("--rounds") { Description = "Rounds, each measuring both endpoints (alternating which goes first).", DefaultValueFactory = _ => 3 };
var warmup = new Option<int>("--warmup") { Description = "Unmeasured seconds per endpoint before measuring.", DefaultValueFactory = _ => 20 };
var gatewayArguments = new Option<string[]>("--gateway-arg") { Description = "Extra configuration for the gateway, KEY=VALUE, e.g. --gateway-arg CreditGrid:Telemetry:GrainCallTracing=false (repeatable).", AllowMultipleArgumentsPerToken = false };
var repository = new Option<DirectoryInfo?>("--repo") { Description = "Repository root; found from the working directory when omitted." };

var root = new RootCommand("Measures score lookups through the gateway (JWT and audit on, warm grains) against a constant-JSON endpoint of the same gateway, with wrk.")
{
    subjects, connections, threads, duration, rounds, warmup, gatewayArguments, repository,
};
root.SetAction(async (parseResult, cancellationToken) =>
{
    var repoRoot = parseResult.GetValue(repository)?.FullName ?? RepositoryRoot.Find(Environment.CurrentDirectory) ?? RepositoryRoot.Find(AppContext.BaseDirectory);
    if (repoRoot is null)
    {
        await Console.Error.WriteLineAsync("Cannot find the repository root (CreditGrid.slnx); pass --repo.");
        return 2;
    }

    var settings = new LookupSettings(
        Math.Clamp(parseResult.GetValue(subjects), 1, 1_000_000),
        Math.Clamp(parseResult.GetValue(connections), 1, 1024),
        Math.Clamp(parseResult.GetValue(threads), 1, 16),
        TimeSpan.FromSeconds(Math.Clamp(parseResult.GetValue(duration), 1, 600)),
        Math.Clamp(parseResult.GetValue(rounds), 1, 20),
        TimeSpan.FromSeconds(Math.Clamp(parseResult.GetValue(warmup), 1, 120)),
        repoRoot,
        parseResult.GetValue(gatewayArguments) ?? []);
    try
    {
        return await LookupBenchmark.RunAsync(settings, Console.Out, cancellationToken);
    }
    catch (BenchmarkFailedException ex)
    {
        await Console.Error.WriteLineAsync($"error: {ex.Message}");
        return 1;
    }
});
return await root.Parse(args).InvokeAsync();
