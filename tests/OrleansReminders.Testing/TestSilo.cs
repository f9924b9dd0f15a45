using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Testing;

/// <summary>
/// A real silo host configured exactly as the service configures it (UseOrleansRemindersInfrastructure),
/// on free loopback ports. With a connection string it runs on PostgreSQL; without, on the embedded default.
/// Borrowers hand their messages to a <see cref="RecordingMessageDispatcher"/> unless <c>configure</c> registers
/// an <see cref="IMessageDispatcher"/> (the dispatcher pool, a discarding sink).
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private TestSilo(IHost host) => Host = host;

    public IHost Host { get; }

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => Host.Services;

    /// <summary>Cluster settings for a fresh cluster on two free loopback ports.</summary>
    public static ClusterSettings Settings(string serviceId, string? postgreSql)
    {
        var (siloPort, gatewayPort) = FreePorts();
        return new ClusterSettings
        {
            ClusterId = serviceId,
            ServiceId = serviceId,
            PostgreSql = postgreSql,
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
        };
    }

    /// <summary>A silo for tests: one-second minimum reminder period, reminder start-up bounded to 20 s.</summary>
    public static async Task<TestSilo> StartAsync(
        string? postgreSql, string serviceId, Action<ISiloBuilder>? configure = null, Action<IServiceCollection>? replace = null)
    {
        var settings = Settings(serviceId, postgreSql);
        settings.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
        settings.ReminderInitializationTimeout = TimeSpan.FromSeconds(20);
        return await StartAsync(settings, configure, replace: replace);
    }

    /// <param name="settings">The cluster settings.</param>
    /// <param name="configure">Runs before the service's infrastructure is configured.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="replace">Runs after every registration: where a test swaps a part for a faulty one.</param>
    public static async Task<TestSilo> StartAsync(
        ClusterSettings settings, Action<ISiloBuilder>? configure = null, CancellationToken cancellationToken = default, Action<IServiceCollection>? replace = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            configure?.Invoke(silo);
            silo.UseOrleansRemindersInfrastructure(settings);
            // The test double, explicitly: borrowers' messages are recorded unless the test registered a dispatcher.
            silo.Services.TryAddSingleton<RecordingMessageDispatcher>();
            silo.Services.TryAddSingleton<IMessageDispatcher>(sp => sp.GetRequiredService<RecordingMessageDispatcher>());
        });
        replace?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new TestSilo(host);
    }

    public async Task StopAsync() => await Host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }

    /// <summary>Two distinct free loopback ports: both listeners stay open until both are known.</summary>
    public static (int SiloPort, int GatewayPort) FreePorts()
    {
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
