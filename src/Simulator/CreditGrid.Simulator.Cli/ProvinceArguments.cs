using System.CommandLine;

namespace CreditGrid.Simulator.Cli;

/// <summary>The options that choose a province, shared by every command so the same flags give the same records.</summary>
internal sealed class ProvinceArguments
{
    // Generation keeps every subject in memory; the cap keeps a typo from exhausting the machine.
    private const int MaxSubjects = 2_000_000;

    public Option<int> Enterprises { get; } = Count("--enterprises", "Enterprises and individual businesses to generate.", 10_000);

    public Option<int> GovernmentBodies { get; } = Count("--government-bodies", "Government organs and public institutions to generate.", 300);

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the province: same seed and sizes, same subjects and records.", DefaultValueFactory = _ => 2023 };

    public void AddTo(Command command)
    {
        command.Options.Add(Enterprises);
        command.Options.Add(GovernmentBodies);
        command.Options.Add(Seed);
    }

    public ProvinceOptions Read(ParseResult parseResult) => new()
    {
        Enterprises = parseResult.GetValue(Enterprises),
        GovernmentBodies = parseResult.GetValue(GovernmentBodies),
        Seed = parseResult.GetValue(Seed),
    };

    private static Option<int> Count(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > MaxSubjects)
            {
                result.AddError($"{name} must be between 0 and {MaxSubjects:N0}.");
            }
        });
        return option;
    }
}
