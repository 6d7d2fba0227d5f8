namespace CreditGrid.Grains.Cities;

/// <summary>How county and city units wake their subjects for time-driven changes (<c>CreditGrid:Time</c>).</summary>
public sealed class CityTimeOptions
{
    public const string Section = "CreditGrid:Time";

    /// <summary>
    /// Period of each unit's durable reminder, the backstop that wakes a unit after a restart or deactivation; while
    /// the unit is active a timer fires at the earliest due instant. Orleans reminders cannot be shorter than a minute.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Subjects woken at once by one sweep.</summary>
    public int SweepConcurrency { get; set; } = 32;
}
