namespace CreditGrid.Grains.Rules;

/// <summary>Where the start-up rules come from and how quickly silos follow an activation (<c>CreditGrid:Rules</c>).</summary>
public sealed class RulesOptions
{
    public const string Section = "CreditGrid:Rules";

    /// <summary>A rules file to start with instead of the embedded one; refused at start when invalid.</summary>
    public string? Path { get; set; }

    /// <summary>How often each silo asks the register for the active version.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
