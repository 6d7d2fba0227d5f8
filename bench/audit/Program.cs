using System.Globalization;
using CreditGrid.Bench.Audit;

// Two measurements of the audit log's cost:
//   lookup  — the gateway's enterprise lookup with and without the audit filter, over loopback HTTP (default)
//   store   — the append rate of the audit stores in batches (in memory; PostgreSQL with --postgres <connection string>)
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("""
        usage: CreditGrid.Bench.Audit [lookup|store] [--subjects 2000] [--clients 8] [--seconds 2] [--rounds 10] [--store memory|chain-only]
                                      [--records 200000] [--batch 1000] [--writers 2] [--postgres <connection string>]
        """);
    return 2;
}

return options.Mode switch
{
    "lookup" => await LookupBenchmark.RunAsync(options),
    _ => await StoreBenchmark.RunAsync(options),
};

namespace CreditGrid.Bench.Audit
{
    internal sealed record BenchOptions(string Mode, int Subjects, int Clients, int Seconds, int Rounds, int Records, int Batch, int Writers, string? Postgres, string Store)
    {
        public static BenchOptions? Parse(string[] args)
        {
            var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "lookup";
            if (mode is not ("lookup" or "store"))
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = mode == args.FirstOrDefault() ? 1 : 0; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    return null;
                }

                values[args[i][2..]] = args[i + 1];
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new BenchOptions(
                mode, Int("subjects", 2000), Int("clients", 8), Int("seconds", 2), Int("rounds", 10),
                Int("records", 200_000), Int("batch", 1000), Int("writers", 2), values.GetValueOrDefault("postgres"),
                values.GetValueOrDefault("store", "memory"));
        }
    }
}
