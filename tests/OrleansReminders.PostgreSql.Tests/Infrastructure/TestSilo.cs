using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.PostgreSql.Tests.Infrastructure;

/// <summary>
/// A real silo host configured exactly as the service configures it (UseOrleansRemindersInfrastructure),
/// on free loopback ports. With a connection string it runs on PostgreSQL; without, on the embedded default.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public static async Task<TestSilo> StartAsync(string? postgreSql, string serviceId, Action<ISiloBuilder>? configure = null)
    {
        var settings = new ClusterSettings
        {
            ClusterId = serviceId,
            ServiceId = serviceId,
            PostgreSql = postgreSql,
            SiloPort = FreePort(),
            GatewayPort = FreePort(),
            MinimumReminderPeriod = TimeSpan.FromSeconds(1),
            ReminderInitializationTimeout = TimeSpan.FromSeconds(20),
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            configure?.Invoke(silo);
            silo.UseOrleansRemindersInfrastructure(settings);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
