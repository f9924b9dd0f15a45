using System.Globalization;

namespace OrleansReminders.Benchmarks;

/// <summary>The load driver's few <c>--name value</c> options; anything else is an error.</summary>
public sealed class CommandLine(string[] args)
{
    private readonly HashSet<string> _read = [];

    public int Int(string name, int defaultValue, int min, int max)
    {
        _read.Add(name);
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return defaultValue;
        }
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{name} needs a whole number from {min} to {max}");
        }
        return value;
    }

    public string Choice(string name, string defaultValue, params string[] allowed)
    {
        _read.Add(name);
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return defaultValue;
        }
        if (at + 1 >= args.Length || !allowed.Contains(args[at + 1], StringComparer.Ordinal))
        {
            throw new ArgumentException($"{name} needs one of {string.Join(", ", allowed)}");
        }
        return args[at + 1];
    }

    /// <summary>Fails on any option no one asked for (a typo would otherwise silently run the defaults).</summary>
    public void RejectUnknown()
    {
        var unknown = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && !_read.Contains(a)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException("unknown option(s): " + string.Join(", ", unknown));
        }
    }
}
