using System.Diagnostics;
using CreditGrid.Storage.Audit;
using CreditGrid.Storage.Migrations;
using Npgsql;

namespace CreditGrid.Bench.Audit;

/// <summary>
/// How fast the audit stores take records in batches: the in-memory store (hashing and list append), and with
/// <c>--postgres</c> the PostgreSQL store (advisory lock, last-hash read, binary COPY, commit per batch) from one
/// writer and from several concurrent writers sharing the chain.
/// </summary>
internal static class StoreBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        Console.WriteLine($"{options.Records:N0} records in batches of {options.Batch}, machine load {LookupBenchmark.Load()}");
        var hashRate = MeasureHashing(options.Records);
        Console.WriteLine($"hashing alone (canonical bytes + SHA-256)     {hashRate,12:N0} records/s");
        var (requestSide, stored) = await RequestPath.MeasureAsync(options.Records);
        Console.WriteLine($"request side (entry from a request + enqueue)  {requestSide,12:N0} records/s ({1e6 / requestSide:F2} µs each)");
        Console.WriteLine($"  … and until the writer has stored them all {stored,12:N0} records/s");
        var memory = new InMemoryAuditStore();
        Console.WriteLine($"in-memory store, 1 writer                     {await MeasureAsync([memory], options),12:N0} records/s");

        if (options.Postgres is { } connectionString)
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await new SchemaMigrator(dataSource).MigrateAsync();
            Console.WriteLine($"PostgreSQL store, 1 writer                    {await MeasureAsync([new PostgresAuditStore(dataSource)], options),12:N0} records/s");
            var sources = Enumerable.Range(0, options.Writers).Select(_ => NpgsqlDataSource.Create(connectionString)).ToArray();
            try
            {
                var rate = await MeasureAsync([.. sources.Select(s => new PostgresAuditStore(s))], options);
                Console.WriteLine($"PostgreSQL store, {options.Writers} concurrent writers       {rate,12:N0} records/s");
                var verification = await new PostgresAuditStore(dataSource).VerifyAsync();
                Console.WriteLine($"chain of {verification.RecordsChecked:N0} records intact: {verification.Intact}");
                if (!verification.Intact)
                {
                    return 1;
                }
            }
            finally
            {
                foreach (var source in sources)
                {
                    await source.DisposeAsync();
                }
            }
        }

        return 0;
    }

    private static double MeasureHashing(int count)
    {
        var entries = Entries("hash", count);
        AuditChain.Link(0, AuditChain.GenesisHash, entries[..Math.Min(count, 20_000)]);
        var started = Stopwatch.GetTimestamp();
        AuditChain.Link(0, AuditChain.GenesisHash, entries);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<double> MeasureAsync(IAuditStore[] writers, BenchOptions options)
    {
        var perWriter = options.Records / writers.Length;
        var batches = writers.Select((_, w) => Entries($"writer-{w}", perWriter).Chunk(options.Batch).ToArray()).ToArray();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            foreach (var batch in batches[w])
            {
                await store.AppendAsync(batch);
            }
        })));
        return perWriter * writers.Length / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static AuditEntry[] Entries(string who, int count)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(n => AuditEntry.Create(
            now, who, ["bank"], "91610000MA6TGC1X2A", "91610103MA6TGC1X2A", n % 2 == 0 ? "loan review" : null,
            "credit.read", "GET", "/api/v1/enterprises/{uscc}", 200, $"{who}-{n}"))];
    }
}
