using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// The naive Orleans pattern on PostgreSQL: <see cref="NaiveBorrowerGrain"/> writes its state and
/// re-registers its reminder on every step, through the co-hosted grain factory. Two variants:
/// <list type="bullet">
/// <item>(b) on Orleans' defaults, as a developer following the Orleans documentation gets it: Orleans'
/// default storage serializer (JSON) and the connection string as given (Npgsql's defaults: statements
/// not prepared, each pooled connection reset when returned). This is the baseline the issue describes.</item>
/// <item>(b+) on this service's infrastructure: binary state format, statements prepared, no reset
/// (<see cref="PostgreSqlPool"/>). Same grain code; it shows what the infrastructure alone gives.</item>
/// </list>
/// Both use this project's schema (deploy/sql), the only one there is.
/// </summary>
public sealed class NaiveOrleansScenario(bool onOrleansDefaults) : ITransitionScenario
{
    private IHost? _host;
    private IGrainFactory? _grains;
    private NpgsqlDataSource? _dataSource;
    private string _serviceId = "";
    private int _keys;
    private INaiveBorrowerGrain[] _borrowers = [];

    public string Name => onOrleansDefaults ? "(b) naive, Orleans defaults" : "(b+) naive, service infrastructure";

    /// <summary>Mean size in bytes of the state rows the warm-up wrote, as stored.</summary>
    public int StateBytes { get; private set; }

    public async Task SetupAsync(TransitionSettings settings, CancellationToken cancellationToken)
    {
        // Explicit settings in the connection string win over the silo's own (PostgreSqlPool).
        var connectionString = onOrleansDefaults
            ? new NpgsqlConnectionStringBuilder(settings.ConnectionString) { MaxAutoPrepare = 0, NoResetOnClose = false }.ConnectionString
            : settings.ConnectionString;
        var cluster = BenchSilo.Settings(settings.RunId + (onOrleansDefaults ? "-b" : "-bplus"), connectionString);
        _serviceId = cluster.ServiceId;
        _keys = settings.Keys;
        _dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        _host = await BenchSilo.StartAsync(cluster, cancellationToken, onOrleansDefaults ? UseOrleansDefaultStateFormat : null);
        _grains = _host.Grains();
        // References are made once, so the timed steps measure the grain, not the driver resolving its interface.
        _borrowers = [.. Enumerable.Range(0, settings.Keys).Select(n => _grains.GetGrain<INaiveBorrowerGrain>(Key(n)))];
        await TransitionDriver.ForEachAsync(settings.Keys, settings.Concurrency, i => StepAsync(0, i), cancellationToken);
        StateBytes = (int)await ScalarAsync<decimal>("SELECT coalesce(avg(octet_length(payload)), 0) FROM orleans_storage WHERE service_id = $1");
    }

    public Task StepAsync(int worker, long i) => _borrowers[i % _keys].StepAsync();

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
            await BenchSilo.DeleteServiceAsync(_dataSource, _serviceId);
            await _dataSource.DisposeAsync();
        }
    }

    /// <summary>Orleans' default grain storage serializer (JSON) instead of the service's binary format.</summary>
    private static void UseOrleansDefaultStateFormat(ISiloBuilder silo) =>
        silo.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Borrowers)
            .Configure<IServiceProvider>((options, services) =>
                options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<JsonGrainStorageSerializer>(services));

    private static string Key(long n) => $"b{n:D7}";

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
