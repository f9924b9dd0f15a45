using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Benchmarks;

/// <summary>A co-hosted silo configured exactly as the service configures its own, on a fresh cluster id and free ports.</summary>
public static class BenchSilo
{
    public static ClusterSettings Settings(string runId, string? postgreSql)
    {
        var (siloPort, gatewayPort) = FreePorts();
        return new ClusterSettings
        {
            PostgreSql = postgreSql,
            ClusterId = runId,
            ServiceId = runId,
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
        };
    }

    public static async Task<IHost> StartAsync(ClusterSettings settings, CancellationToken cancellationToken, Action<ISiloBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            configure?.Invoke(silo);
            silo.UseOrleansRemindersInfrastructure(settings);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    public static string NewRunId(string prefix) => $"{prefix}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(1000, 9999)}";

    private static (int SiloPort, int GatewayPort) FreePorts()
    {
        // Both listeners stay open until both ports are known, so the two cannot be the same.
        using var silo = new TcpListener(IPAddress.Loopback, 0);
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        silo.Start();
        gateway.Start();
        var ports = (((IPEndPoint)silo.LocalEndpoint).Port, ((IPEndPoint)gateway.LocalEndpoint).Port);
        silo.Stop();
        gateway.Stop();
        return ports;
    }
}
