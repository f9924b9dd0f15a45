namespace OrleansReminders.Benchmarks;

/// <summary>Load figures from a Debug build mean nothing: say which build is running.</summary>
public static class BuildConfiguration
{
#if DEBUG
    public const string Name = "Debug";

    public static void WarnIfDebug() =>
        Console.WriteLine("warning: Debug build; run with -c Release before recording figures");
#else
    public const string Name = "Release";

    public static void WarnIfDebug()
    {
    }
#endif
}
