using System.Globalization;

namespace CreditGrid.Bench.Ingest;

/// <summary>
/// CPU time of processes on this machine, read from <c>/proc/[pid]/stat</c>, so a run can say which of gateway, silo,
/// PostgreSQL and the benchmark's own client spent the cores. Linux only; elsewhere every reading is zero.
/// </summary>
public static class ProcessCpu
{
    // USER_HZ, the unit of the stat times; 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds of one process so far, or 0 when it cannot be read.</summary>
    public static double Seconds(int pid, bool withReapedChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        // After the command, field 14 is utime, 15 stime, 16 cutime, 17 cstime (1-based, as in proc(5)).
        var ticks = Field(fields, 14) + Field(fields, 15);
        if (withReapedChildren)
        {
            ticks += Field(fields, 16) + Field(fields, 17);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds of the PostgreSQL server: the postmaster, the backends it has reaped (counted in its children times)
    /// and the backends and auxiliary processes still running.
    /// </summary>
    public static double PostgresSeconds(int postmaster)
    {
        var total = Seconds(postmaster, withReapedChildren: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != postmaster && StatFields(pid) is { } fields && (int)Field(fields, 4) == postmaster)
            {
                total += (Field(fields, 14) + Field(fields, 15)) / TicksPerSecond;
            }
        }

        return total;
    }

    /// <summary>The 1-, 5- and 15-minute load averages, or an empty string when unavailable.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The stat fields after the command name, so index 3 (1-based) is the state; null when the process is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is parenthesised and may contain spaces or parentheses; everything after the last ')' is numeric.
        var close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 2)..].Split(' ');
    }

    private static double Field(string[] afterCommand, int oneBasedField) =>
        double.Parse(afterCommand[oneBasedField - 3], CultureInfo.InvariantCulture);
}
