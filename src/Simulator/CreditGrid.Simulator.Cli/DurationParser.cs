using System.Globalization;

namespace CreditGrid.Simulator.Cli;

/// <summary>Durations as people type them: <c>500ms</c>, <c>60s</c>, <c>5m</c>, <c>1h</c>, or a .NET time span such as <c>00:01:30</c>.</summary>
public static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToLowerInvariant();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(value[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                && amount >= 0 && amount * seconds <= TimeSpan.MaxValue.TotalSeconds)
            {
                duration = TimeSpan.FromSeconds(amount * seconds);
                return true;
            }
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
