using CreditGrid.Simulator.Cli;

return await SimulatorCli.CreateRootCommand(TimeProvider.System).Parse(args).InvokeAsync();
