using System.CommandLine;
using System.Diagnostics;
using CreditGrid.Simulator.PreCredit;

namespace CreditGrid.Simulator.Cli;

/// <summary><c>training-set</c>: writes the default pre-credit model's training CSV from the generative model.</summary>
public static class TrainingSetCommand
{
    private const int MaxEnterprises = 2_000_000;

    public static Command Create(TimeProvider time)
    {
        var enterprises = new Option<int>("--enterprises") { Description = "Enterprises to simulate, one row each.", DefaultValueFactory = _ => 50_000 };
        enterprises.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxEnterprises)
            {
                result.AddError($"--enterprises must be between 1 and {MaxEnterprises:N0}.");
            }
        });
        var seed = new Option<int>("--seed") { Description = "Seed: same seed and size, same rows.", DefaultValueFactory = _ => 2023 };
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write; replaced if it exists.", Required = true };
        var command = new Command(
            "training-set",
            $"Write a pre-credit training CSV: {TrainingSetWriter.IdColumn}, the live decision's features, the drawn label {TrainingSetWriter.Label} and {TrainingSetWriter.TruePdColumn}.")
        {
            enterprises, seed, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var file = parseResult.GetRequiredValue(output);
            if (file.Directory is { Exists: false } directory)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"Directory '{directory.FullName}' does not exist.");
                return 1;
            }

            var started = Stopwatch.StartNew();
            TrainingSetWriter.Summary summary;
            await using (var writer = new StreamWriter(file.FullName))
            {
                summary = await TrainingSetWriter.WriteAsync(writer, parseResult.GetValue(enterprises), parseResult.GetValue(seed), time.GetUtcNow(), cancellationToken);
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant(
                $"Wrote {summary.Rows:N0} enterprises, {summary.Defaults:N0} defaults ({100.0 * summary.Defaults / summary.Rows:F2}%, mean true PD {100 * summary.MeanTruePd:F2}%) to {file.FullName} in {started.Elapsed.TotalSeconds:F1} s."));
            return 0;
        });
        return command;
    }
}
