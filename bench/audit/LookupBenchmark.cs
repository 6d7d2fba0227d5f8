using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Json;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Gateway.Apis;
using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Ingest;
using CreditGrid.Gateway.Security;
using CreditGrid.Storage.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditGrid.Bench.Audit;

/// <summary>
/// The gateway's enterprise lookup, served twice in one process by the same handler: once plain, once with
/// <c>.Audited("credit.read")</c> (enqueue on the request path, in-memory store written in batches behind it).
/// Clients alternate between the two in rounds so that both see the same machine load; the figure that matters is
/// the ratio of their throughputs.
/// </summary>
internal static class LookupBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder([
            "--CreditGrid:Demo:Enabled=false",
            $"--CreditGrid:Silo:SiloPort={FreePort()}",
            $"--CreditGrid:Silo:GatewayPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.AddCreditGridOrleans();
        builder.Services.AddOptions<IngestLimits>();
        builder.Services.AddSingleton<IngestService>();
        builder.Services.AddCoHostedDocuments();
        if (options.Store == "chain-only")
        {
            builder.Services.AddSingleton<IAuditStore, ChainOnlyStore>();
        }

        builder.Services.AddCreditGridAudit(builder.Configuration);
        builder.Services.AddSingleton<ISubjectAccess, SubjectAccess>();
        builder.Services.AddSingleton<IBankAuthorisations, ConsentBankAuthorisations>();

        await using var app = builder.Build();

        // The lookup checks the caller's access to the subject: every request comes from a supervisor, who sees all.
        var supervisor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CallerClaims.Subject, "supervisor-1"), new Claim(CallerClaims.Role, Roles.Supervisor)], "jwt", CallerClaims.Subject, CallerClaims.Role));
        app.Use((http, next) =>
        {
            http.User = supervisor;
            return next(http);
        });
        app.MapGet("/plain/enterprises/{uscc}", (string uscc, HttpContext http, IGrainFactory grains, CoHostedDocuments board) => SubjectsApi.GetAsync(uscc, http, grains, board, governmentBody: false));
        app.MapGet("/audited/enterprises/{uscc}", (string uscc, HttpContext http, IGrainFactory grains, CoHostedDocuments board) => SubjectsApi.GetAsync(uscc, http, grains, board, governmentBody: false))
            .Audited(AuditActions.CreditRead);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var subjects = await LoadSubjectsAsync(app.Services.GetRequiredService<IngestService>(), options.Subjects);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients }) { BaseAddress = new Uri(address) };
        Console.WriteLine($"{options.Subjects} enterprises, {options.Clients} concurrent clients, {options.Store} audit store, {options.Rounds} rounds of {options.Seconds} s per variant, machine load {Load()}");

        // Warm-up: activates every grain and JITs both paths.
        await RunPhaseAsync(client, "plain", subjects, options.Clients, TimeSpan.FromSeconds(2));
        await RunPhaseAsync(client, "audited", subjects, options.Clients, TimeSpan.FromSeconds(2));

        var plain = new List<Phase>();
        var audited = new List<Phase>();
        var ratios = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            // Short phases, alternating which goes first: the machine's load drifts, and each round's ratio compares
            // two phases a few seconds apart.
            var first = round % 2 == 0 ? "plain" : "audited";
            var second = first == "plain" ? "audited" : "plain";
            var phases = new Dictionary<string, Phase>();
            foreach (var variant in new[] { first, second })
            {
                phases[variant] = await RunPhaseAsync(client, variant, subjects, options.Clients, TimeSpan.FromSeconds(options.Seconds));
            }

            plain.Add(phases["plain"]);
            audited.Add(phases["audited"]);
            ratios.Add(phases["audited"].PerSecond / phases["plain"].PerSecond);
            Console.WriteLine(
                $"  round {round + 1,2}  plain {phases["plain"].PerSecond,8:N0}/s {phases["plain"].CpuMicroseconds,6:F1} µs CPU (p50 {phases["plain"].P50Ms:F2} ms, p99 {phases["plain"].P99Ms:F2} ms)" +
                $"  audited {phases["audited"].PerSecond,8:N0}/s {phases["audited"].CpuMicroseconds,6:F1} µs CPU (p50 {phases["audited"].P50Ms:F2} ms, p99 {phases["audited"].P99Ms:F2} ms)");
        }

        await app.StopAsync();
        var store = app.Services.GetRequiredService<IAuditStore>();
        var verification = await store.VerifyAsync();
        var plainRate = plain.Sum(p => p.Requests) / plain.Sum(p => p.Seconds);
        var auditedRate = audited.Sum(p => p.Requests) / audited.Sum(p => p.Seconds);
        Console.WriteLine($"plain    {plainRate,10:N0} lookups/s");
        var median = ratios.Order().ElementAt(ratios.Count / 2);
        Console.WriteLine($"audited  {auditedRate,10:N0} lookups/s   cost overall {(1 - auditedRate / plainRate) * 100:F1} %, median of rounds {(1 - median) * 100:F1} %");
        var plainCpu = plain.Sum(p => p.CpuMicroseconds * p.Requests) / plain.Sum(p => p.Requests);
        var auditedCpu = audited.Sum(p => p.CpuMicroseconds * p.Requests) / audited.Sum(p => p.Requests);
        Console.WriteLine($"CPU per lookup: plain {plainCpu:F1} µs, audited {auditedCpu:F1} µs: audit adds {auditedCpu - plainCpu:F1} µs = {(auditedCpu / plainCpu - 1) * 100:F1} % (throughput cost on a CPU-bound host {(1 - plainCpu / auditedCpu) * 100:F1} %)");
        Console.WriteLine($"audit records written {verification.RecordsChecked:N0} ({options.Store} store) (audited requests {audited.Sum(p => p.Requests) + audited.Sum(p => p.Errors):N0} + warm-up), chain intact: {verification.Intact}, machine load {Load()}");
        return verification.Intact && plain.Concat(audited).All(p => p.Errors == 0) ? 0 : 1;
    }

    private static async Task<string[]> LoadSubjectsAsync(IngestService ingest, int count)
    {
        var random = new Random(2023);
        var department = UsccGenerator.Create(random, '1', '1', "610000");
        var date = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var subjects = Enumerable.Range(0, count).Select(_ => UsccGenerator.Create(random, '9', '1', "610103")).Distinct().ToArray();
        var records = subjects.Select((s, i) => JsonSerializer.SerializeToElement(new
        {
            recordId = $"BENCH-{i}",
            subjectId = s,
            sourceDepartment = department,
            type = "credit.licence-granted.v1",
            decisionDate = date,
            details = new { licenceType = "食品经营许可证", validTo = "2030-12-31" },
        })).ToList();
        var result = await ingest.IngestAsync(records, CancellationToken.None);
        if (result.Accepted != subjects.Length)
        {
            throw new InvalidOperationException($"Only {result.Accepted} of {subjects.Length} bench records were accepted.");
        }

        // Folding is asynchronous; a lookup answers 404 until the subject's grain has its first record.
        await Task.Delay(TimeSpan.FromSeconds(3));
        return subjects;
    }

    private static async Task<Phase> RunPhaseAsync(HttpClient client, string variant, string[] subjects, int clients, TimeSpan duration)
    {
        var latencies = new List<double>[clients];
        var errors = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            var random = new Random(c);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync($"/{variant}/enterprises/{subjects[random.Next(subjects.Length)]}");
                await response.Content.LoadIntoBufferAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                }

                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Phase(all.Length - errors, errors, seconds, all[all.Length / 2], all[(int)(all.Length * 0.99)], cpu / all.Length);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <param name="CpuMicroseconds">Process CPU time per lookup (server, grains, writer and client alike): unlike the
    /// rate, it hardly moves with what other processes on the machine are doing.</param>
    private sealed record Phase(long Requests, int Errors, double Seconds, double P50Ms, double P99Ms, double CpuMicroseconds)
    {
        public double PerSecond => Requests / Seconds;
    }
}
