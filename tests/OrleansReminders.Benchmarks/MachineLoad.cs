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
}
