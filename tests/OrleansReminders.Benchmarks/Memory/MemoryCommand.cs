using System.Diagnostics;
using System.Globalization;
using OrleansReminders.Benchmarks.Transitions;

namespace OrleansReminders.Benchmarks.Memory;

/// <summary>
/// <c>memory</c>: bytes per activated naive borrower grain on the embedded (in-memory) silo. Each grain is
/// activated and its state filled in memory (nothing is written, no reminder), so the figure is the
/// activation plus its state, not storage or reminder bookkeeping.
/// </summary>
public static class MemoryCommand
{
    private const int WarmUpGrains = 200;
    private const int ActivationConcurrency = 256;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandLine(args);
        var grains = options.Int("--grains", 20_000, 1, 5_000_000);
        var kind = options.Choice("--grain", "naive", "naive", "borrower");
        var idleAfter = options.Int("--idle-after", 0, 0, 86_400);
        var storage = options.Choice("--storage", "memory", "memory", "postgres");
        options.RejectUnknown();

        // On PostgreSQL (ORLEANSREMINDERS_PG) the state and reminders live in the database, as in production;
        // in memory, the process holds every state and reminder besides the activations.
        var postgreSql = storage == "postgres" ? Environment.GetEnvironmentVariable(Transitions.TransitionsCommand.ConnectionStringVariable) : null;
        if (storage == "postgres" && string.IsNullOrWhiteSpace(postgreSql))
        {
            Console.Error.WriteLine($"memory --storage postgres: set {Transitions.TransitionsCommand.ConnectionStringVariable}");
            return 2;
        }

        var settings = BenchSilo.Settings(BenchSilo.NewRunId("bench-memory"), postgreSql);
        if (idleAfter > 0)
        {
            // A portfolio run: grains idle this many seconds are deactivated, as the service does after
            // Cluster:IdleDeactivationAfter; memory-pressure shedding stays at the service's default.
            settings.IdleDeactivationAfter = TimeSpan.FromSeconds(idleAfter);
        }
        else
        {
            // Per-activation figures: nothing may be deactivated while they are measured.
            settings.IdleDeactivationAfter = TimeSpan.FromDays(1);
            settings.ShedActivationsAbovePercent = 0;
        }

        Console.WriteLine($"run {settings.ClusterId}: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(postgreSql is null ? "embedded silo (in-memory storage and reminders)" : "silo on PostgreSQL")}, {BuildConfiguration.Name} build");
        Console.WriteLine(MachineLoad.Describe());
        BuildConfiguration.WarnIfDebug();

        // For borrower grains, history and messages go to sinks that keep nothing, so the figure is the grain's.
        using var host = await BenchSilo.StartAsync(settings, CancellationToken.None, kind == "borrower" ? DiscardingSinks.Register : null);
        var factory = host.Grains();
        Func<string, Task> activate = kind == "borrower" ? key => BorrowerMemory.ActivateAsync(factory, key) : key => factory.GetGrain<INaiveBorrowerGrain>(key).TouchAsync();
        Console.WriteLine($"grain: {kind}");
        // Warm-up: code paths jitted, the silo's own caches and the storage grains created before the baseline.
        await TransitionDriver.ForEachAsync(WarmUpGrains, ActivationConcurrency, i => activate($"warm{i}"));

        var (managedBefore, workingSetBefore) = Snapshot();
        var started = Stopwatch.GetTimestamp();
        long done = 0;
        using var peak = new PeakMemory(() => Interlocked.Read(ref done));
        peak.Start();
        await TransitionDriver.ForEachAsync(grains, ActivationConcurrency, async i =>
        {
            await activate($"m{i:D7}");
            Interlocked.Increment(ref done);
        });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (peakWorkingSet, peakHeap) = peak.Stop();
        var (managedAfter, workingSetAfter) = Snapshot();

        var active = await ActivationCountAsync(factory, kind == "borrower" ? "BorrowerGrain" : "NaiveBorrower");
        var managedPer = (double)(managedAfter - managedBefore) / grains;
        var workingSetPer = (double)(workingSetAfter - workingSetBefore) / grains;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            activated {grains:N0} grains in {seconds:F1} s ({grains / seconds:N0}/s); {kind} grain activations alive: {active:N0}
            managed heap (GC.GetTotalMemory(true)): {managedBefore / 1e6:F1} MB -> {managedAfter / 1e6:F1} MB = {managedPer:N0} bytes per activation
            working set:                            {workingSetBefore / 1e6:F1} MB -> {workingSetAfter / 1e6:F1} MB = {workingSetPer:N0} bytes per activation
            projected for 1,000,000 activations: {managedPer * 1e6 / 1e9:F2} GB managed, {workingSetPer * 1e6 / 1e9:F2} GB working set
            peak while activating: working set {peakWorkingSet / 1e9:F2} GB, GC heap {peakHeap / 1e9:F2} GB (GC limit {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:F2} GB); idle deactivation after {settings.IdleDeactivationAfter}, shedding above {settings.ShedActivationsAbovePercent}%
            """));
        await host.StopAsync();
        return 0;
    }

    private static (long Managed, long WorkingSet) Snapshot()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (managed, process.WorkingSet64);
    }

    /// <summary>Samples the process's working set and GC heap every 200 ms until stopped; prints progress every 10 s.</summary>
    private sealed class PeakMemory(Func<long> done) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private long _workingSet;
        private long _heap;

        private Task? _loop;

        public void Start() => _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            var ticks = 0;
            do
            {
                using var process = Process.GetCurrentProcess();
                _workingSet = Math.Max(_workingSet, process.WorkingSet64);
                _heap = Math.Max(_heap, GC.GetTotalMemory(forceFullCollection: false));
                if (++ticks % 50 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {done():N0} activated; working set {process.WorkingSet64 / 1e9:F2} GB, GC heap {GC.GetTotalMemory(false) / 1e9:F2} GB"));
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result));
        });

        public (long WorkingSet, long Heap) Stop()
        {
            _stop.Cancel();
            _loop?.Wait();
            return (_workingSet, _heap);
        }

        public void Dispose() => _stop.Dispose();
    }

    private static async Task<int> ActivationCountAsync(IGrainFactory factory, string typeName)
    {
        var statistics = await factory.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains(typeName, StringComparison.OrdinalIgnoreCase)).Sum(s => s.ActivationCount);
    }
}
