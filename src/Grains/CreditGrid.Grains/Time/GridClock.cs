namespace CreditGrid.Grains.Time;

/// <summary>
/// The clock credit evaluations are computed against. It is a separate service from the process's
/// <see cref="TimeProvider"/> so that tests can move evaluation time across years while Orleans' own timers,
/// membership probes and stream polling keep running on real time.
/// </summary>
public sealed class GridClock(TimeProvider inner) : TimeProvider
{
    public static GridClock Real { get; } = new(TimeProvider.System);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
}
