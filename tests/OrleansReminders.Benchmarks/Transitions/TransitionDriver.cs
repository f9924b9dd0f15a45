using System.Diagnostics;

namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>Runs a scenario with a fixed number of concurrent workers for a fixed time and records latencies.</summary>
public static class TransitionDriver
{
    /// <summary>
    /// Times <paramref name="scenario"/>; its steps are numbered from <paramref name="firstSequence"/> (a later round of the
    /// same scenario goes on from the last round's <see cref="TransitionResult.NextSequence"/>).
    /// </summary>
    public static async Task<TransitionResult> RunAsync(ITransitionScenario scenario, int concurrency, TimeSpan duration, long firstSequence = 0)
    {
        var sequence = firstSequence - 1;
        var cpuBefore = ProcessCpu();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gen0Before = GC.CollectionCount(0);
        var databaseBefore = MachineLoad.LocalPostgresCpu();
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<WorkerTally>[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(() => RunWorkerAsync(scenario, worker, deadline, () => Interlocked.Increment(ref sequence)));
        }
        var tallies = await Task.WhenAll(workers);
        return TransitionResult.From(scenario.Name, duration, tallies, ProcessCpu() - cpuBefore, MachineLoad.LocalPostgresCpu() - databaseBefore,
            GC.GetTotalAllocatedBytes() - allocatedBefore, GC.CollectionCount(0) - gen0Before) with { NextSequence = Interlocked.Read(ref sequence) + 1 };
    }

    /// <summary>Runs <paramref name="action"/> for 0..count-1 with at most <paramref name="concurrency"/> in flight (warm-up, activation).</summary>
    public static Task ForEachAsync(int count, int concurrency, Func<long, Task> action, CancellationToken cancellationToken = default) =>
        Parallel.ForAsync(0L, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, _) => await action(i));

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static async Task<WorkerTally> RunWorkerAsync(ITransitionScenario scenario, int worker, long deadline, Func<long> next)
    {
        var tally = new WorkerTally();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var begin = Stopwatch.GetTimestamp();
            try
            {
                await scenario.StepAsync(worker, next());
            }
            catch (Exception ex)
            {
                tally.Fail(ex);
                continue;
            }
            var end = Stopwatch.GetTimestamp();
            tally.Complete(end - begin, inWindow: end <= deadline);
        }
        return tally;
    }
}

/// <summary>One worker's counts; merged after the run, so nothing is shared while timing.</summary>
public sealed class WorkerTally
{
    public List<long> LatencyTicks { get; } = new(capacity: 4096);

    /// <summary>Steps that finished after the deadline: not counted in ops/s, but they are in the database.</summary>
    public long Late { get; private set; }

    public long Errors { get; private set; }

    public string? FirstError { get; private set; }

    public void Complete(long ticks, bool inWindow)
    {
        if (inWindow)
        {
            LatencyTicks.Add(ticks);
        }
        else
        {
            Late++;
        }
    }

    public void Fail(Exception ex)
    {
        Errors++;
        FirstError ??= ex.GetType().Name + ": " + ex.Message;
    }
}

/// <summary>
/// Figures of one timed scenario; <see cref="CpuMicrosPerOp"/> is this process's CPU (driver, client, silo) per
/// completed step, <see cref="DatabaseCpuMicrosPerOp"/> the local postgres processes' (NaN when not measurable),
/// <see cref="AllocatedKbPerOp"/> what this process allocated per step and <see cref="Gen0PerThousandOps"/> its
/// generation-0 collections per 1,000 steps.
/// </summary>
public sealed record TransitionResult(
    string Name, long Ops, long Late, long Errors, string? FirstError, double OpsPerSecond, double P50Ms, double P99Ms, double CpuMicrosPerOp,
    double DatabaseCpuMicrosPerOp, double AllocatedKbPerOp, double Gen0PerThousandOps)
{
    /// <summary>Every step that completed, including those that finished after the deadline.</summary>
    public long Completed => Ops + Late;

    /// <summary>The first step number not used by this run.</summary>
    public long NextSequence { get; init; }

    public static TransitionResult From(
        string name, TimeSpan duration, IReadOnlyList<WorkerTally> tallies, TimeSpan cpu, TimeSpan? databaseCpu, long allocated, int gen0)
    {
        var latencies = tallies.SelectMany(t => t.LatencyTicks).ToArray();
        Array.Sort(latencies);
        var late = tallies.Sum(t => t.Late);
        var completed = Math.Max(1, latencies.Length + late);
        return new TransitionResult(
            name,
            latencies.Length,
            late,
            tallies.Sum(t => t.Errors),
            tallies.Select(t => t.FirstError).FirstOrDefault(e => e is not null),
            latencies.Length / duration.TotalSeconds,
            PercentileMs(latencies, 0.50),
            PercentileMs(latencies, 0.99),
            cpu.TotalMicroseconds / completed,
            databaseCpu is { } db && db > TimeSpan.Zero ? db.TotalMicroseconds / completed : double.NaN,
            allocated / 1024.0 / completed,
            gen0 * 1000.0 / completed);
    }

    private static double PercentileMs(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Ceiling(p * sorted.Length) - 1] * 1000.0 / Stopwatch.Frequency;
}
