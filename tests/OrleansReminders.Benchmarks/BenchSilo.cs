using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Testing;

namespace OrleansReminders.Benchmarks;

/// <summary>A co-hosted silo configured exactly as the service configures its own, on a fresh cluster id and free ports.</summary>
public static class BenchSilo
{
    public static ClusterSettings Settings(string runId, string? postgreSql) => TestSilo.Settings(runId, postgreSql);

    public static async Task<IHost> StartAsync(ClusterSettings settings, CancellationToken cancellationToken, Action<ISiloBuilder>? configure = null) =>
        (await TestSilo.StartAsync(settings, configure, cancellationToken)).Host;

    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>A run's service id is used once: deletes its reminders, grain states and membership version from the shared database.</summary>
    public static async Task DeleteServiceAsync(NpgsqlDataSource database, string serviceId)
    {
        await using var cleanup = database.CreateBatch();
        foreach (var sql in new[]
        {
            "DELETE FROM orleans_reminders WHERE service_id = $1",
            "DELETE FROM orleans_storage WHERE service_id = $1",
            "DELETE FROM orleans_membership_version WHERE deployment_id = $1",
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
            cleanup.BatchCommands.Add(command);
        }

        await cleanup.ExecuteNonQueryAsync();
    }

    public static string NewRunId(string prefix) => $"{prefix}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(1000, 9999)}";
}
