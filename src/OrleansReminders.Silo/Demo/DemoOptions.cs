namespace OrleansReminders.Silo.Demo;

/// <summary>
/// The demo (<c>--demo</c>, section <c>Demo</c>): a synthetic portfolio run through the ladder on a scaled
/// clock, with progress and a funnel report at the end.
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    /// <summary>Borrowers generated.</summary>
    public int Borrowers { get; set; } = 2_000;

    /// <summary>Business days the run covers.</summary>
    public int BusinessDays { get; set; } = 30;

    /// <summary>Real seconds those days should take (sets Cluster:TimeScale unless it is set).</summary>
    public int RealSeconds { get; set; } = 60;

    /// <summary>Seed of the generated portfolio.</summary>
    public int Seed { get; set; } = 20261123;

    /// <summary>
    /// Turns <c>--demo</c> into <c>Demo:Enabled=true</c> (the configuration command line wants a value), and
    /// leaves everything else alone.
    /// </summary>
    public static string[] RewriteArguments(string[] args) =>
        [.. args.Select(a => a == "--demo" ? $"--{SectionName}:{nameof(Enabled)}=true" : a)];

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Borrowers is < 1 or > 1_000_000)
        {
            problems.Add("Demo:Borrowers: must be 1 to 1000000");
        }

        if (BusinessDays is < 1 or > 365)
        {
            problems.Add("Demo:BusinessDays: must be 1 to 365");
        }

        if (RealSeconds is < 10 or > 86_400)
        {
            problems.Add("Demo:RealSeconds: must be 10 to 86400");
        }

        return problems;
    }
}
