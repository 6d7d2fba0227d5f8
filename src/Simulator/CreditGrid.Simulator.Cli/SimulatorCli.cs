using System.CommandLine;

namespace CreditGrid.Simulator.Cli;

/// <summary>The <c>creditgrid-sim</c> command tree: <c>ndjson</c> writes a province to a file, <c>post</c> feeds it to a gateway.</summary>
public static class SimulatorCli
{
    /// <param name="time">Clock of the simulated province ("today") and of the live trickle's pacing.</param>
    /// <param name="handler">HTTP handler for <c>post</c>; null uses a plain socket handler.</param>
    public static RootCommand CreateRootCommand(TimeProvider time, HttpMessageHandler? handler = null) =>
        new("Generates the simulated Shaanxi province of the credit grid and feeds it to POST /api/v1/events.")
        {
            NdjsonCommand.Create(time),
            PostCommand.Create(time, handler),
            TrainingSetCommand.Create(time),
        };
}
