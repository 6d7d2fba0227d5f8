using System.CommandLine;
using System.Diagnostics;

namespace CreditGrid.Simulator.Cli;

/// <summary><c>ndjson</c>: writes the province's history (and optionally live records) to a file in the wire format.</summary>
public static class NdjsonCommand
{
    private const int MaxLiveRecords = 10_000_000;

    public static Command Create(TimeProvider time)
    {
        var province = new ProvinceArguments();
        var output = new Option<FileInfo>("--out") { Description = "File to write; replaced if it exists.", Required = true };
        var live = new Option<int>("--live") { Description = "Live records to append after the history.", DefaultValueFactory = _ => 0 };
        live.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > MaxLiveRecords)
            {
                result.AddError($"--live must be between 0 and {MaxLiveRecords:N0}.");
            }
        });

        var command = new Command("ndjson", "Write the simulated province as NDJSON, one POST /api/v1/events record per line.") { output, live };
        province.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var file = parseResult.GetRequiredValue(output);
            if (file.Directory is { Exists: false } directory)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"Directory '{directory.FullName}' does not exist.");
                return 1;
            }

            var started = Stopwatch.StartNew();
            var simulator = new ProvinceSimulator(province.Read(parseResult), time.GetUtcNow());
            var result = await NdjsonExporter.WriteAsync(simulator, parseResult.GetValue(live), file.FullName, cancellationToken);
            await stdout.WriteLineAsync(
                $"Wrote {result.Lines:N0} records ({result.HistoryRecords:N0} history + {result.LiveRecords:N0} live) about {result.Subjects:N0} subjects " +
                $"to {file.FullName} ({result.Bytes / 1_048_576.0:F1} MiB) in {started.Elapsed.TotalSeconds:F1} s.");
            return 0;
        });
        return command;
    }
}
