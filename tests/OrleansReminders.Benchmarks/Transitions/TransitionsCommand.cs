using System.Globalization;
using System.Runtime;
using Npgsql;

namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// <c>transitions</c>: persisted stage transitions on PostgreSQL, every scenario in the same run, same
/// concurrency, same number of keys; ratios are to the naive Orleans pattern (b).
/// </summary>
public static class TransitionsCommand
{
    public const string ConnectionStringVariable = "ORLEANSREMINDERS_PG";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandLine(args);
        var seconds = options.Int("--seconds", 20, 1, 3600);
        var concurrency = options.Int("--concurrency", 64, 1, 4096);
        var keys = options.Int("--keys", 5000, 1, 10_000_000);
        // Profiling aid: time one scenario only (all are still set up). Ratios need the full run.
        var only = options.Choice("--only", "all", "all", "a", "b", "b+", "c", "c+ack");
        // Paired rounds: (b) and (c) set up side by side and timed in turn (b c, c b, b c, …), one ratio per pair.
        var rounds = options.Int("--rounds", 1, 1, 20);
        options.RejectUnknown();

        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine($"transitions: set {ConnectionStringVariable} to an Npgsql connection string of a database with the schema applied:");
            Console.Error.WriteLine("  bash deploy/sql/apply.sh \"$ORLEANSREMINDERS_PG\"");
            return 2;
        }

        var settings = new TransitionSettings(connectionString, BenchSilo.NewRunId("bench-transitions"), concurrency, keys, TimeSpan.FromSeconds(seconds));
        PrintHeader(settings);
        if (rounds > 1)
        {
            return await RunRoundsAsync(settings, rounds);
        }

        // (b) is set up first: its stored state size decides the size of (a)'s document. Each scenario is set
        // up (every key stepped once, untimed) just before its timed run and disposed after it, so at most two
        // connection pools are open at a time: a default max_connections of 100 is enough.
        var naive = new NaiveOrleansScenario(onOrleansDefaults: true);
        await SetupAsync(naive, settings);
        Console.WriteLine($"naive grain state as stored (Orleans' JSON): {naive.StateBytes:N0} bytes; raw document: the same size");
        var tuned = new NaiveOrleansScenario(onOrleansDefaults: false);
        (ITransitionScenario Scenario, bool SetUp)[] scenarios =
        [
            (new RawUpsertScenario(naive.StateBytes), false),
            (naive, true),
            (tuned, false),
            (new BorrowerGrainScenario(), false),
            (new BorrowerGrainScenario(acknowledged: true), false),
        ];
        var results = new List<TransitionResult>();
        foreach (var (scenario, setUp) in scenarios)
        {
            await using var _ = scenario;
            if (only != "all" && !scenario.Name.StartsWith($"({only}) ", StringComparison.Ordinal))
            {
                continue;
            }

            if (!setUp)
            {
                await SetupAsync(scenario, settings);
            }

            if (scenario == tuned)
            {
                Console.WriteLine($"naive grain state as stored (binary): {tuned.StateBytes:N0} bytes");
            }

            Console.WriteLine($"timing {scenario.Name} for {seconds} s ({MachineLoad.Describe()}) …");
            var result = await TransitionDriver.RunAsync(scenario, concurrency, settings.Duration);
            results.Add(result);
            Console.WriteLine($"  done ({MachineLoad.Describe()})");
            Console.WriteLine("  " + await scenario.CheckAsync(result.Completed));
            if (result.FirstError is not null)
            {
                Console.WriteLine($"  {result.Errors:N0} errors, first: {result.FirstError}");
            }
        }

        PrintTable(results, results.SingleOrDefault(r => r.Name == naive.Name), results.SingleOrDefault(r => r.Name == tuned.Name));
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    /// <summary>
    /// (b) and (c) in <paramref name="rounds"/> pairs, the order alternating so neither always runs first: the machine's
    /// drift (autovacuum, checkpoints, the other tenants of the host) falls on both sides of each pair.
    /// </summary>
    private static async Task<int> RunRoundsAsync(TransitionSettings settings, int rounds)
    {
        await using var naive = new NaiveOrleansScenario(onOrleansDefaults: true);
        await using var borrower = new BorrowerGrainScenario();
        await SetupAsync(naive, settings);
        await SetupAsync(borrower, settings);
        var next = new Dictionary<ITransitionScenario, long> { [naive] = 0, [borrower] = 0 };
        var results = new List<TransitionResult>();
        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            ITransitionScenario[] order = round % 2 == 1 ? [naive, borrower] : [borrower, naive];
            var pair = new Dictionary<ITransitionScenario, TransitionResult>();
            foreach (var scenario in order)
            {
                Console.WriteLine($"round {round}: timing {scenario.Name} for {settings.Duration.TotalSeconds:F0} s ({MachineLoad.Describe()}) …");
                var result = await TransitionDriver.RunAsync(scenario, settings.Concurrency, settings.Duration, next[scenario]);
                next[scenario] = result.NextSequence;
                pair[scenario] = result with { Name = $"{scenario.Name[..3]} round {round}" };
            }

            results.AddRange(order.Select(s => pair[s]));
            ratios.Add(pair[borrower].OpsPerSecond / pair[naive].OpsPerSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round}: (c)/(b) {ratios[^1]:F2}"));
        }

        PrintTable(results, null, null);
        if (next[borrower] > (long)BorrowerGrainScenario.HolidayFreeDays * settings.Keys)
        {
            Console.WriteLine($"warning: (c) stepped past its {BorrowerGrainScenario.HolidayFreeDays} holiday-free days: fewer rounds, shorter rounds or more --keys");
        }

        var sorted = ratios.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        double Total(ITransitionScenario s) => results.Where(r => r.Name.StartsWith(s.Name[..3], StringComparison.Ordinal)).Sum(r => r.Ops);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(c)/(b) per round: {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; " +
            $"median {median:F2}, lowest {sorted[0]:F2}; all steps {Total(borrower) / Total(naive):F2}"));
        Console.WriteLine("  " + await naive.CheckAsync(results.Where(r => r.Name.StartsWith("(b)", StringComparison.Ordinal)).Sum(r => r.Completed)));
        Console.WriteLine("  " + await borrower.CheckAsync(results.Where(r => r.Name.StartsWith("(c)", StringComparison.Ordinal)).Sum(r => r.Completed)));
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private static async Task SetupAsync(ITransitionScenario scenario, TransitionSettings settings)
    {
        var started = DateTime.UtcNow;
        await scenario.SetupAsync(settings, CancellationToken.None);
        Console.WriteLine($"set up {scenario.Name}: {settings.Keys:N0} keys warmed in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
    }

    private static void PrintHeader(TransitionSettings settings)
    {
        var csb = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Console.WriteLine($"run {settings.RunId}: {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {BuildConfiguration.Name} build");
        Console.WriteLine($"PostgreSQL {csb.Host}:{csb.Port}/{csb.Database}, Maximum Pool Size {csb.MaxPoolSize}; " +
            $"concurrency {settings.Concurrency}, {settings.Keys:N0} keys, {settings.Duration.TotalSeconds:F0} s per scenario");
        if (csb.MaxPoolSize < settings.Concurrency)
        {
            Console.WriteLine($"warning: Maximum Pool Size {csb.MaxPoolSize} < concurrency {settings.Concurrency}: workers will queue for connections");
        }
        BuildConfiguration.WarnIfDebug();
    }

    private static void PrintTable(IReadOnlyList<TransitionResult> results, TransitionResult? naive, TransitionResult? tuned)
    {
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-44} {"ops",10} {"ops/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7} {"vs (b)",7} {"vs (b+)",8} {"cpu µs/op",10} {"db µs/op",9} {"KB/op",6} {"gen0/1k",8}");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-44} {r.Ops,10:N0} {r.OpsPerSecond,10:N0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.Errors,7:N0} " +
                $"{Ratio(r, naive),7} {Ratio(r, tuned),8} {r.CpuMicrosPerOp,10:N0} {r.DatabaseCpuMicrosPerOp,9:N0} {r.AllocatedKbPerOp,6:F1} {r.Gen0PerThousandOps,8:F1}"));
        }

        Console.WriteLine("cpu µs/op: this process (driver, Npgsql, silo); db µs/op: the local postgres processes (n/a when the database is elsewhere); KB/op: allocated by this process; gen0/1k: its gen-0 collections per 1,000 steps.");
    }

    private static string Ratio(TransitionResult r, TransitionResult? baseline) =>
        baseline is null ? "-" : (r.OpsPerSecond / baseline.OpsPerSecond).ToString("F2", CultureInfo.InvariantCulture);
}
