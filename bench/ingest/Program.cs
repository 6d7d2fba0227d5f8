using System.CommandLine;
using System.Runtime.InteropServices;
using CreditGrid.Bench.Ingest;

var enterprises = new Option<int>("--enterprises") { Description = "Enterprises in the simulated province.", DefaultValueFactory = _ => 10_000 };
var governmentBodies = new Option<int>("--government-bodies") { Description = "Government bodies in the simulated province.", DefaultValueFactory = _ => 300 };
var seed = new Option<int>("--seed") { Description = "Seed of the simulated province.", DefaultValueFactory = _ => 2023 };
var batch = new Option<int>("--batch") { Description = "Records per POST (1–10,000).", DefaultValueFactory = _ => 5_000 };
var posters = new Option<int>("--posters") { Description = "Concurrent posters (1–64).", DefaultValueFactory = _ => 2 };
var foldTimeout = new Option<int>("--fold-timeout") { Description = "Seconds to wait after the last 202 for every subject to be folded.", DefaultValueFactory = _ => 120 };
var build = new Option<bool>("--build") { Description = "Run 'dotnet build src/Gateway -c Release' before starting the gateway." };
var repository = new Option<DirectoryInfo?>("--repo") { Description = "Repository root; found from the working directory when omitted." };
var postgres = new Option<bool>("--postgres") { Description = "Measure the production path instead: a cluster from deploy/local/cluster.sh with PostgreSQL, against a raw COPY of the same rows." };
var silos = new Option<int>("--silos") { Description = "Silos of the --postgres cluster (1–8).", DefaultValueFactory = _ => 1 };
var gateways = new Option<int>("--gateways") { Description = "Gateways of the --postgres cluster (1–8); posters are spread over them.", DefaultValueFactory = _ => 1 };
var latencyReaders = new Option<int>("--latency-readers") { Description = "Concurrent GETs of the --postgres ack→readable probe (1–16).", DefaultValueFactory = _ => 4 };
var warmupEnterprises = new Option<int>("--warmup-enterprises") { Description = "Enterprises of a separate province (next seed) that --postgres posts and waits to see folded before measuring, so the measured run finds the cluster's code compiled and its connections open (0 for none). As many as the measured province by default: after 2,000 the JIT still took a fifth to two fifths of the hosts' CPU during the measured run.", DefaultValueFactory = _ => 10_000 };
var statements = new Option<int>("--statements") { Description = "With --postgres: load pg_stat_statements in the cluster's PostgreSQL and print this many top statements by execution time for the ingest and the catch-up (0 for none).", DefaultValueFactory = _ => 0 };
var trickle = new Option<int>("--trickle") { Description = "With --postgres: after the measured run, post this many records one at a time, about 2.5 s apart, each to its own enterprise, and print the time from each 202 to its fold: the delay a quiet log partition adds (0 for none).", DefaultValueFactory = _ => 0 };
var latencySamples = new Option<int>("--latency-samples") { Description = "Records whose ack→readable latency --postgres measures (1–5,000).", DefaultValueFactory = _ => 500 };

var root = new RootCommand("Measures end-to-end ingest of the single-process credit grid against an in-process baseline, or with --postgres of a PostgreSQL-backed cluster against a raw COPY.")
{
    enterprises, governmentBodies, seed, batch, posters, foldTimeout, build, repository, postgres, silos, gateways, warmupEnterprises, latencySamples, latencyReaders, statements, trickle,
};
root.SetAction(async (parseResult, cancellationToken) =>
{
    var repoRoot = parseResult.GetValue(repository)?.FullName ?? RepositoryRoot.Find(Environment.CurrentDirectory) ?? RepositoryRoot.Find(AppContext.BaseDirectory);
    var settings = new BenchSettings(
        Math.Clamp(parseResult.GetValue(enterprises), 0, 1_000_000),
        Math.Clamp(parseResult.GetValue(governmentBodies), 0, 100_000),
        parseResult.GetValue(seed),
        Math.Clamp(parseResult.GetValue(batch), 1, 10_000),
        Math.Clamp(parseResult.GetValue(posters), 1, 64),
        TimeSpan.FromSeconds(Math.Clamp(parseResult.GetValue(foldTimeout), 1, 3_600)),
        repoRoot ?? "",
        parseResult.GetValue(build));
    if (repoRoot is null)
    {
        await Console.Error.WriteLineAsync("Cannot find the repository root (CreditGrid.slnx); pass --repo.");
        return 2;
    }

    try
    {
        if (parseResult.GetValue(postgres))
        {
            var cluster = new ClusterSettings(
                Math.Clamp(parseResult.GetValue(silos), 1, 8),
                Math.Clamp(parseResult.GetValue(gateways), 1, 8),
                Math.Clamp(parseResult.GetValue(latencySamples), 1, 5_000),
                Math.Clamp(parseResult.GetValue(latencyReaders), 1, 16),
                Math.Clamp(parseResult.GetValue(warmupEnterprises), 0, 100_000),
                Math.Clamp(parseResult.GetValue(statements), 0, 100),
                Math.Clamp(parseResult.GetValue(trickle), 0, 1_000));
            return await PostgresIngestBenchmark.RunAsync(settings, cluster, Console.Out, cancellationToken);
        }

        return await IngestBenchmark.RunAsync(settings, Console.Out, cancellationToken);
    }
    catch (BenchmarkFailedException ex)
    {
        await Console.Error.WriteLineAsync($"error: {ex.Message}");
        return 1;
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync("Cancelled; the processes the run started were stopped.");
        return 130;
    }
});
// Ctrl-C and SIGTERM cancel the run so the gateway child or the cluster is stopped on the way out, however long that takes.
using var stopping = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
