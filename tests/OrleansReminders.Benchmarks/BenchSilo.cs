using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

    public static string NewRunId(string prefix) => $"{prefix}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(1000, 9999)}";
}
