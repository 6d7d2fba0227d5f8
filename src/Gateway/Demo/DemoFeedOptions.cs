namespace CreditGrid.Gateway.Demo;

/// <summary>The demo province loaded by the single-process grid (configuration section <c>CreditGrid:Demo</c>).</summary>
public sealed class DemoFeedOptions
{
    public const string Section = "CreditGrid:Demo";

    public bool Enabled { get; set; }

    public int Enterprises { get; set; } = 12_000;

    public int GovernmentBodies { get; set; } = 300;

    public int Seed { get; set; } = 2023;

    /// <summary>New records per second after the history is loaded; 0 stops the trickle.</summary>
    public double TrickleEventsPerSecond { get; set; } = 20;
}
