using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;
using OrleansReminders.Benchmarks.Transitions;

namespace OrleansReminders.Benchmarks.Schedulers;

/// <summary>
/// The workload as a .NET team would otherwise build it: Hangfire with Hangfire.PostgreSql delayed jobs. Each
/// entity's action is a job scheduled for its due instant; it upserts the entity's row and schedules the job
/// for the next due. Hangfire at its best for this: 20 workers, the delayed-job scheduler polling every second
/// (default 15 s), the queue polled every 100 ms with PostgreSQL LISTEN/NOTIFY long polling (default 15 s),
/// its own schema, dropped afterwards.
/// </summary>
public sealed class HangfireScheduler : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly string _schema;
    private readonly BackgroundJobServer _server;

    private HangfireScheduler(NpgsqlDataSource database, string connectionString, string schema, int workers)
    {
        _database = database;
        _schema = schema;
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(100),
            EnableLongPolling = true,
        };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        Client = new BackgroundJobClient(storage);
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = workers,
                SchedulePollingInterval = TimeSpan.FromSeconds(1),
                ServerName = schema,
            },
            storage);
    }

    public BackgroundJobClient Client { get; }

    public static async Task<HangfireScheduler> StartAsync(
        NpgsqlDataSource database, string connectionString, string schema, int workers, ScheduledWorkload workload, LatenessRecorder recorder)
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        await DropSchemaAsync(database, schema);
        var scheduler = new HangfireScheduler(database, connectionString, schema, workers);
        HangfireActions.Current = new HangfireActions.Run(database, scheduler.Client, workload.Period, recorder);
        // The first due of every entity, scheduled before the clock starts (the first due is in the future).
        await TransitionDriver.ForEachAsync(workload.Entities, 32, i =>
        {
            var due = workload.Due((int)i);
            var id = workload.Id((int)i);
            scheduler.Client.Schedule(() => HangfireActions.ActAsync(id, due.Ticks), new DateTimeOffset(due));
            return Task.CompletedTask;
        });
        return scheduler;
    }

    public async ValueTask DisposeAsync()
    {
        _server.SendStop();
        _server.Dispose();
        await DropSchemaAsync(_database, _schema);
        // Hangfire's pool and the upserts' idle connections go, so the next phase has the server's connections.
        NpgsqlConnection.ClearAllPools();
        _database.Clear();
    }

    private static async Task DropSchemaAsync(NpgsqlDataSource database, string schema)
    {
        await using var drop = database.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>The job Hangfire runs: record how late it ran, upsert the entity, schedule the next due.</summary>
public static class HangfireActions
{
    internal static Run? Current { get; set; }

    public static async Task ActAsync(string id, long dueTicks)
    {
        var run = Current ?? throw new InvalidOperationException("no scheduler benchmark is running");
        var due = new DateTime(dueTicks, DateTimeKind.Utc);
        run.Recorder.Record(due, DateTime.UtcNow);
        var next = due + run.Period;
        await EntityTable.UpsertAsync(run.Database, id, due, next);
        run.Client.Schedule(() => ActAsync(id, next.Ticks), new DateTimeOffset(next));
    }

    internal sealed record Run(NpgsqlDataSource Database, BackgroundJobClient Client, TimeSpan Period, LatenessRecorder Recorder);
}
