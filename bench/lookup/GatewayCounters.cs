using System.Globalization;

namespace CreditGrid.Bench.Lookup;

/// <summary>
/// Two of the gateway's runtime counters from one scrape of its metrics: managed bytes allocated and seconds the JIT
/// compiler has spent, both since the process started. Zero when telemetry is off.
/// </summary>
public readonly record struct GatewayCounters(long AllocatedBytes, double JitSeconds)
{
    private const string Allocated = "dotnet_gc_heap_total_allocated_bytes_total";
    private const string Jit = "dotnet_jit_compilation_time_seconds_total";

    public static GatewayCounters operator -(GatewayCounters after, GatewayCounters before) =>
        new(after.AllocatedBytes - before.AllocatedBytes, after.JitSeconds - before.JitSeconds);

    public static GatewayCounters operator +(GatewayCounters a, GatewayCounters b) =>
        new(a.AllocatedBytes + b.AllocatedBytes, a.JitSeconds + b.JitSeconds);

    /// <summary>
    /// Reads the counters (<c>dotnet.gc.heap.total_allocated</c>, <c>dotnet.jit.compilation.time</c>). A scrape itself
    /// allocates a few tens of kilobytes, negligible beside a round's hundreds of thousands of requests.
    /// </summary>
    public static async Task<GatewayCounters> ReadAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("metrics", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return default;
        }

        var (allocated, jit) = (0L, 0.0);
        foreach (var line in (await response.Content.ReadAsStringAsync(cancellationToken)).Split('\n'))
        {
            if (Value(line, Allocated) is { } bytes)
            {
                allocated = (long)bytes;
            }
            else if (Value(line, Jit) is { } seconds)
            {
                jit = seconds;
            }
        }

        return new GatewayCounters(allocated, jit);
    }

    private static double? Value(string line, string metric) =>
        line.StartsWith(metric, StringComparison.Ordinal)
        && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
