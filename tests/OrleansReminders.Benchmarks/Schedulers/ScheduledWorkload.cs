using System.Diagnostics;
using Npgsql;

namespace OrleansReminders.Benchmarks.Schedulers;

/// <summary>
/// The side-by-side workload: <see cref="Entities"/> entities, each acting once per <see cref="Period"/> at its
/// own due instant (first dues spread evenly over one period, so the demand is entities / period actions per
/// second); an action persists the entity (its count, this due and the next) and schedules the next due.
/// </summary>
public sealed record ScheduledWorkload(string Prefix, int Entities, TimeSpan Period, DateTime FirstDue)
{
    public double Demand => Entities / Period.TotalSeconds;

    public string Id(int i) => $"{Prefix}-{i:D7}";

    /// <summary>Entity <paramref name="i"/>'s first due instant.</summary>
    public DateTime Due(int i) => FirstDue + Period * i / Entities;
}

/// <summary>The persisted side of an action outside Orleans: one upsert of the entity's row, as a raw client writes it.</summary>
public static class EntityTable
{
    public const string Name = "bench_scheduled_entities";

    public const string UpsertSql = $"""
        INSERT INTO {Name} AS t (id, acted, due, next_due) VALUES ($1, 1, $2, $3)
        ON CONFLICT (id) DO UPDATE SET acted = t.acted + 1, due = EXCLUDED.due, next_due = EXCLUDED.next_due
        """;

    public static async Task CreateAsync(NpgsqlDataSource database)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"DROP TABLE IF EXISTS {Name}"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"CREATE TABLE {Name} (id text PRIMARY KEY, acted bigint NOT NULL, due timestamptz NOT NULL, next_due timestamptz NOT NULL) WITH (fillfactor = 80)"));
        await batch.ExecuteNonQueryAsync();
    }

    public static async Task DropAsync(NpgsqlDataSource database)
    {
        await using var drop = database.CreateCommand($"DROP TABLE IF EXISTS {Name}");
        await drop.ExecuteNonQueryAsync();
    }

    public static async Task UpsertAsync(NpgsqlDataSource database, string id, DateTime due, DateTime next)
    {
        await using var command = database.CreateCommand(UpsertSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = due });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = next });
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// Counts the actions that ran inside the timed window and how late each ran against its due instant
/// (a histogram in milliseconds), with the process's and the local database's CPU over the window.
/// </summary>
public sealed class LatenessRecorder
{
    private const int Buckets = 600_000; // 1 ms each, up to 10 minutes; later ones land in the last
    private readonly long[] _histogram = new long[Buckets];
    private long _windowStartTicks = long.MaxValue;
    private long _windowEndTicks = long.MaxValue;
    private long _count;
    private long _early;
    private TimeSpan _processCpu;
    private TimeSpan? _databaseCpu;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>An action ran at <paramref name="ranAt"/> for its <paramref name="due"/> instant (both UTC).</summary>
    public void Record(DateTime due, DateTime ranAt)
    {
        var ticks = ranAt.Ticks;
        if (ticks < Interlocked.Read(ref _windowStartTicks) || ticks >= Interlocked.Read(ref _windowEndTicks))
        {
            return;
        }

        var lateMs = (long)(ranAt - due).TotalMilliseconds;
        if (lateMs < 0)
        {
            Interlocked.Increment(ref _early);
        }

        Interlocked.Increment(ref _histogram[Math.Clamp(lateMs, 0, Buckets - 1)]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Records the actions of the next <paramref name="duration"/>, then returns the figures.</summary>
    public async Task<SchedulerResult> MeasureAsync(string name, double demand, TimeSpan duration)
    {
        var cpuBefore = ProcessCpu();
        var databaseBefore = MachineLoad.LocalPostgresCpu();
        var start = DateTime.UtcNow;
        Interlocked.Exchange(ref _windowEndTicks, (start + duration).Ticks);
        Interlocked.Exchange(ref _windowStartTicks, start.Ticks);
        await Task.Delay(duration);
        await Task.Delay(TimeSpan.FromMilliseconds(200)); // actions that began inside the window finish recording
        _processCpu = ProcessCpu() - cpuBefore;
        _databaseCpu = MachineLoad.LocalPostgresCpu() - databaseBefore;
        return new SchedulerResult(name, demand, Count / duration.TotalSeconds, Percentile(0.50), Percentile(0.99), Percentile(1.0),
            Interlocked.Read(ref _early), Count == 0 ? 0 : _processCpu.TotalMicroseconds / Count,
            Count == 0 || _databaseCpu is not { } db ? null : db.TotalMicroseconds / Count);
    }

    private double Percentile(double p)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        for (var ms = 0; ms < Buckets; ms++)
        {
            seen += Interlocked.Read(ref _histogram[ms]);
            if (seen >= rank)
            {
                return ms / 1000.0;
            }
        }

        return (Buckets - 1) / 1000.0;
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

/// <param name="Name">The scheduler and its load.</param>
/// <param name="Demand">Actions per second the entities ask for.</param>
/// <param name="Executed">Actions per second that ran in the window.</param>
/// <param name="P50">Median lateness, seconds.</param>
/// <param name="P99">99th-percentile lateness, seconds.</param>
/// <param name="Max">Largest lateness, seconds.</param>
/// <param name="Early">Actions that ran before their due instant.</param>
/// <param name="CpuMicros">This process's CPU per action, µs.</param>
/// <param name="DatabaseCpuMicros">The local PostgreSQL's CPU per action, µs (null when it runs elsewhere).</param>
public sealed record SchedulerResult(
    string Name, double Demand, double Executed, double P50, double P99, double Max, long Early, double CpuMicros, double? DatabaseCpuMicros);
