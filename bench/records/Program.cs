using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;
using CreditGrid.Simulator;

// What one kept credit record costs a silo: the log payload's size, and the bytes a deserialised record keeps alive,
// with the grid's contract (repeated text pooled, Chinese as UTF-8) beside a baseline without the pool and with
// System.Text.Json's default escaping, which is what the log held before.
var enterprises = Option("--enterprises", 10_000);
var governmentBodies = Option("--government-bodies", 300);
var seed = Option("--seed", 2023);
var rounds = Option("--rounds", 3);

var province = new ProvinceSimulator(new ProvinceOptions { Enterprises = enterprises, GovernmentBodies = governmentBodies, Seed = seed }, DateTimeOffset.UtcNow);
var records = province.History().ToList();

var baseline = new JsonSerializerOptions(CreditJson.Options)
{
    Encoder = null,
    TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutPooledText } },
};
var payloads = records.Select(r => JsonSerializer.SerializeToUtf8Bytes(r, CreditJson.Options)).ToArray();
var escapedPayloads = records.Select(r => JsonSerializer.SerializeToUtf8Bytes(r, baseline)).ToArray();

Console.WriteLine("Kept credit records (bench/records)");
Console.WriteLine($"  records             {records.Count:N0} of {enterprises:N0} enterprises and {governmentBodies:N0} government bodies (seed {seed})");
Console.WriteLine($"  runtime             .NET {Environment.Version}, workstation GC, {Environment.ProcessorCount} cores");
Console.WriteLine($"  payload bytes       {payloads.Average(p => p.Length):F0} per record as the log now writes it; " +
    $"{escapedPayloads.Average(p => p.Length):F0} with \\u escapes (baseline); ratio {payloads.Average(p => p.Length) / escapedPayloads.Average(p => p.Length):F3}");
Console.WriteLine("  retained bytes per deserialised record (all kept at once; the first pooled round also fills the pool):");
for (var round = 1; round <= rounds; round++)
{
    var (pooledBytes, pooledMicroseconds) = Retained(payloads, CreditJson.Options);
    var (baselineBytes, baselineMicroseconds) = Retained(escapedPayloads, baseline);
    Console.WriteLine($"    round {round}: pooled {pooledBytes:F0} B ({pooledMicroseconds:F2} µs to read), baseline {baselineBytes:F0} B ({baselineMicroseconds:F2} µs); " +
        $"ratio {pooledBytes / baselineBytes:F3}");
}

return 0;

static (double BytesPerRecord, double MicrosecondsPerRecord) Retained(byte[][] payloads, JsonSerializerOptions options)
{
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var kept = new CreditEvent[payloads.Length];
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < payloads.Length; i++)
    {
        kept[i] = JsonSerializer.Deserialize<CreditEvent>(payloads[i], options)!;
    }

    var elapsed = Stopwatch.GetElapsedTime(started);
    var after = GC.GetTotalMemory(forceFullCollection: true);
    GC.KeepAlive(kept);

    // The array holding the records is the benchmark's, not the records'.
    var bytes = after - before - ((long)IntPtr.Size * payloads.Length);
    return ((double)bytes / payloads.Length, elapsed.TotalMicroseconds / payloads.Length);
}

static void WithoutPooledText(JsonTypeInfo typeInfo)
{
    foreach (var property in typeInfo.Properties)
    {
        if (property.CustomConverter is RepeatedTextConverter)
        {
            property.CustomConverter = null;
        }
    }
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
