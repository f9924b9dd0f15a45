namespace OrleansReminders.Benchmarks;

/// <summary>The machine's load average (Linux), printed with the figures: a busy neighbour halves them.</summary>
public static class MachineLoad
{
    public static string Describe()
    {
        const string LoadAverage = "/proc/loadavg";
        if (!File.Exists(LoadAverage))
        {
            return "load average n/a";
        }
        var parts = File.ReadAllText(LoadAverage).Split(' ');
        return $"load average {parts[0]} {parts[1]} {parts[2]} on {Environment.ProcessorCount} cores";
    }

    /// <summary>
    /// CPU used so far by the processes named <c>postgres</c> on this machine (Linux), or null elsewhere.
    /// Sampled before and after a timed phase it gives the database's share when it runs here; backends
    /// that exit in between take their time with them, so the pools keep theirs open during a phase.
    /// </summary>
    public static TimeSpan? LocalPostgresCpu()
    {
        if (!Directory.Exists("/proc/self"))
        {
            return null;
        }

        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!char.IsAsciiDigit(Path.GetFileName(dir)[0]))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] != "postgres")
                {
                    continue;
                }

                // After "(comm) ": state is field 3; utime and stime are fields 14 and 15.
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
                         long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
        }

        const int ClockTicksPerSecond = 100; // USER_HZ on Linux
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
    }
}
