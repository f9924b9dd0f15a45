using Microsoft.Extensions.Hosting;
using Npgsql;

namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// (b) The naive Orleans pattern on PostgreSQL: <see cref="NaiveBorrowerGrain"/> writes its state and
/// re-registers its reminder on every step, through the co-hosted grain factory.
/// </summary>
public sealed class NaiveOrleansScenario : ITransitionScenario
{
    private static readonly string[] CleanupSql =
    [
        "DELETE FROM orleans_reminders WHERE service_id = $1",
        "DELETE FROM orleans_storage WHERE service_id = $1",
        "DELETE FROM orleans_membership_version WHERE deployment_id = $1",
    ];

    private IHost? _host;
    private IGrainFactory? _grains;
    private NpgsqlDataSource? _dataSource;
    private string _serviceId = "";
    private int _keys;

    public string Name => "(b) naive Orleans (state + reminder)";

    /// <summary>Mean size in bytes of the state rows the warm-up wrote, as stored.</summary>
    public int StateBytes { get; private set; }

    public async Task SetupAsync(TransitionSettings settings, CancellationToken cancellationToken)
    {
        var cluster = BenchSilo.Settings(settings.RunId, settings.ConnectionString);
        _serviceId = cluster.ServiceId;
        _keys = settings.Keys;
        _dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        _host = await BenchSilo.StartAsync(cluster, cancellationToken);
        _grains = _host.Grains();
        await TransitionDriver.ForEachAsync(settings.Keys, settings.Concurrency, i => StepAsync(0, i), cancellationToken);
        StateBytes = (int)await ScalarAsync<decimal>("SELECT coalesce(avg(octet_length(payload)), 0) FROM orleans_storage WHERE service_id = $1");
    }

    public Task StepAsync(int worker, long i) => _grains!.GetGrain<INaiveBorrowerGrain>(Key(i % _keys)).StepAsync();

    public async Task<string> CheckAsync(long completedSteps)
    {
        // A first write stores version 1 and a first reminder upsert version 0: subtract the warm-up.
        var stateWrites = await ScalarAsync<long>("SELECT coalesce(sum(version), 0)::bigint - count(*) FROM orleans_storage WHERE service_id = $1");
        var reminderWrites = await ScalarAsync<long>("SELECT coalesce(sum(version), 0)::bigint FROM orleans_reminders WHERE service_id = $1");
        return $"orleans_storage: {stateWrites:N0} timed-phase state writes; orleans_reminders: {reminderWrites:N0} reminder upserts (driver completed {completedSteps:N0})";
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        if (_dataSource is not null)
        {
            // The run's service id is used once: leave nothing of it behind in the shared database.
            await using var cleanup = _dataSource.CreateBatch();
            foreach (var sql in CleanupSql)
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
                cleanup.BatchCommands.Add(command);
            }
            await cleanup.ExecuteNonQueryAsync();
            await _dataSource.DisposeAsync();
        }
    }

    private static string Key(long n) => $"b{n:D7}";

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
