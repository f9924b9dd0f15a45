using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrleansReminders.Benchmarks.Transitions;

namespace OrleansReminders.Benchmarks.Schedulers;

/// <summary>
/// <c>schedulers</c>: the same scheduled-action workload (<see cref="ScheduledWorkload"/>) on one PostgreSQL in one
/// run, by Hangfire.PostgreSql delayed jobs, by this service's pattern (grains, reminders, its state storage), and
/// the raw upsert as the ceiling:
/// <list type="number">
/// <item>Hangfire under excess demand: its peak, the actions it executes per second.</item>
/// <item>Hangfire at half its peak: its lateness when it keeps up.</item>
/// <item>This service at <c>--factor</c> (10) times Hangfire's peak: actions per second and lateness.</item>
/// <item>The raw upsert, as many as 64 connections can do: the database's ceiling.</item>
/// </list>
/// </summary>
public static class SchedulersCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandLine(args);
        var seconds = options.Int("--seconds", 30, 5, 3600);
        var factor = options.Int("--factor", 10, 1, 1000);
        var period = TimeSpan.FromSeconds(options.Int("--period", 10, 2, 3600));
        var hangfireEntities = options.Int("--hangfire-entities", 2000, 10, 1_000_000);
        var hangfireWorkers = options.Int("--hangfire-workers", 20, 1, 200);
        options.RejectUnknown();

        var connectionString = Environment.GetEnvironmentVariable(TransitionsCommand.ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine($"schedulers: set {TransitionsCommand.ConnectionStringVariable} to an Npgsql connection string of a database with the schema applied");
            return 2;
        }

        var runId = BenchSilo.NewRunId("bench-schedulers");
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        Console.WriteLine($"run {runId}: {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {BuildConfiguration.Name} build; PostgreSQL {csb.Host}:{csb.Port}/{csb.Database}, " +
            $"Maximum Pool Size {csb.MaxPoolSize}; {seconds} s timed per phase");
        BuildConfiguration.WarnIfDebug();
        await using var database = NpgsqlDataSource.Create(connectionString);
        await EntityTable.CreateAsync(database);
        var results = new List<SchedulerResult>();
        try
        {
            // 1. Hangfire's peak: every entity due every second, far more than it can run.
            var overload = new ScheduledWorkload(runId + "-hf1", hangfireEntities, TimeSpan.FromSeconds(1), Soon());
            var peak = await HangfireAsync(database, connectionString, "hangfire_bench_peak", hangfireWorkers, overload, seconds, "Hangfire, excess demand");
            results.Add(peak);
            // 2. Hangfire at half its peak: how late it runs when it keeps up.
            var half = Math.Max(1, (int)(peak.Executed / 2 * period.TotalSeconds));
            results.Add(await HangfireAsync(database, connectionString, "hangfire_bench_half", hangfireWorkers,
                new ScheduledWorkload(runId + "-hf2", half, period, Soon()), seconds, "Hangfire, half its peak"));
            // 3. This service at factor × Hangfire's peak.
            var entities = Math.Max(1, (int)Math.Ceiling(peak.Executed * factor * period.TotalSeconds));
            results.Add(await OrleansAsync(connectionString, runId, new ScheduledWorkload(runId + "-or", entities, period, Soon(entities)), seconds,
                $"this service, {factor}× Hangfire's peak"));
            // 4. The ceiling.
            results.Add(await RawAsync(database, runId, seconds));
        }
        finally
        {
            await EntityTable.DropAsync(database);
        }

        Print(results, results[0]);
        return 0;
    }

    /// <summary>A first due far enough ahead for the set-up of <paramref name="entities"/> to finish before it.</summary>
    private static DateTime Soon(int entities = 0) => DateTime.UtcNow + TimeSpan.FromSeconds(10 + entities / 1000.0);

    private static async Task<SchedulerResult> HangfireAsync(
        NpgsqlDataSource database, string connectionString, string schema, int workers, ScheduledWorkload workload, int seconds, string name)
    {
        var recorder = new LatenessRecorder();
        var started = DateTime.UtcNow;
        await using var hangfire = await HangfireScheduler.StartAsync(database, connectionString, schema, workers, workload, recorder);
        Console.WriteLine($"{name}: {workload.Entities:N0} entities every {workload.Period.TotalSeconds:F0} s (demand {workload.Demand:N0}/s), " +
            $"{workers} workers, scheduled in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        return await WarmThenMeasureAsync(recorder, workload, name, seconds);
    }

    private static async Task<SchedulerResult> OrleansAsync(string connectionString, string runId, ScheduledWorkload workload, int seconds, string name)
    {
        var recorder = new LatenessRecorder();
        var settings = BenchSilo.Settings(runId + "-or", connectionString);
        settings.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
        var started = DateTime.UtcNow;
        using var host = await BenchSilo.StartAsync(settings, CancellationToken.None, silo => silo.Services.AddSingleton(recorder));
        var grains = host.Grains();
        var entities = Enumerable.Range(0, workload.Entities).Select(i => grains.GetGrain<IScheduledActionGrain>(workload.Id(i))).ToArray();
        await TransitionDriver.ForEachAsync(workload.Entities, 64, i => entities[i].StartAsync(workload.Due((int)i), workload.Period));
        Console.WriteLine($"{name}: {workload.Entities:N0} grains every {workload.Period.TotalSeconds:F0} s (demand {workload.Demand:N0}/s), " +
            $"reminders registered in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        try
        {
            return await WarmThenMeasureAsync(recorder, workload, name, seconds);
        }
        finally
        {
            await TransitionDriver.ForEachAsync(workload.Entities, 64, i => entities[i].StopAsync());
            await host.StopAsync();
            await using var database = NpgsqlDataSource.Create(connectionString);
            await BenchSilo.DeleteServiceAsync(database, settings.ServiceId);
        }
    }

    /// <summary>Waits until the first dues and one whole period have passed, then measures.</summary>
    private static async Task<SchedulerResult> WarmThenMeasureAsync(LatenessRecorder recorder, ScheduledWorkload workload, string name, int seconds)
    {
        var warm = workload.FirstDue + workload.Period - DateTime.UtcNow;
        if (warm > TimeSpan.Zero)
        {
            await Task.Delay(warm);
        }

        var result = await recorder.MeasureAsync(name, workload.Demand, TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"  {result.Executed:N0} actions/s, p99 late {result.P99:F3} s ({MachineLoad.Describe()})");
        return result;
    }

    /// <summary>The raw upsert of an entity's row from 64 connections, back to back: what the database can take.</summary>
    private static async Task<SchedulerResult> RawAsync(NpgsqlDataSource database, string runId, int seconds)
    {
        var recorder = new LatenessRecorder();
        using var stop = new CancellationTokenSource();
        var measuring = recorder.MeasureAsync("raw upsert, 64 connections (ceiling)", double.NaN, TimeSpan.FromSeconds(seconds));
        var workers = Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var now = DateTime.UtcNow;
                await EntityTable.UpsertAsync(database, $"{runId}-raw-{w:D2}-{n % 200:D3}", now, now);
                recorder.Record(now, DateTime.UtcNow);
            }
        })).ToArray();
        var result = await measuring;
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Console.WriteLine($"  raw upsert: {result.Executed:N0}/s");
        return result with { P50 = double.NaN, P99 = double.NaN, Max = double.NaN };
    }

    private static void Print(IReadOnlyList<SchedulerResult> results, SchedulerResult hangfirePeak)
    {
        Console.WriteLine();
        Console.WriteLine($"{"scheduler",-40} {"demand/s",9} {"ran/s",8} {"vs Hangfire peak",17} {"p50 late s",10} {"p99 late s",10} {"max late s",10} {"early",6} {"cpu µs/action",13} {"db µs/action",12}");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-40} {(double.IsNaN(r.Demand) ? "-" : r.Demand.ToString("N0", CultureInfo.InvariantCulture)),9} {r.Executed,8:N0} " +
                $"{r.Executed / hangfirePeak.Executed,17:F1} {Late(r.P50),10} {Late(r.P99),10} {Late(r.Max),10} {r.Early,6:N0} {r.CpuMicros,13:N0} " +
                $"{(r.DatabaseCpuMicros is { } db ? db.ToString("N0", CultureInfo.InvariantCulture) : "n/a"),12}"));
        }

        Console.WriteLine("late: seconds from an action's due instant to when it ran (a raw upsert has none); cpu: this process; db: the local postgres processes.");
    }

    private static string Late(double seconds) => double.IsNaN(seconds) ? "-" : seconds.ToString("F3", CultureInfo.InvariantCulture);
}
