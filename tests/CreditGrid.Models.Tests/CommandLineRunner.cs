using System.CommandLine;

namespace CreditGrid.Models.Tests;

internal sealed record CommandResult(int ExitCode, string Output, string Error);

internal static class CommandLineRunner
{
    // Fast learner settings keep the end-to-end tests in seconds; the learner code path is the same.
    public static readonly string[] QuickTraining = ["--trees", "40", "--learning-rate", "0.1", "--folds", "3"];

    public static CommandResult Run(params string[] args) => Run(null, args);

    /// <summary>Runs with <paramref name="environment"/> in place of the process environment.</summary>
    public static CommandResult Run(Func<string, string?>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = ModelsCommandLine.Build(environment).Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return new CommandResult(exitCode, output.ToString(), error.ToString());
    }
}
