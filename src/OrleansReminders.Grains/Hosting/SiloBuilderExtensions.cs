using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Hosting;

/// <summary>Configures clustering, grain storage and reminders for the embedded default or PostgreSQL.</summary>
public static class SiloBuilderExtensions
{
    public static ISiloBuilder UseOrleansRemindersInfrastructure(this ISiloBuilder silo, ClusterSettings settings)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        silo.Configure<ReminderOptions>(o =>
        {
            o.InitializationTimeout = settings.ReminderInitializationTimeout;
            o.MinimumReminderPeriod = settings.MinimumReminderPeriod;
        });
        silo.Services.AddBorrowerServices();
        if (settings.TimeScale > 1)
        {
            silo.UseBusinessTimeScale(settings.TimeScale, realRefresh: TimeSpan.FromSeconds(2), settings.ReminderInitializationTimeout);
        }

        // System.Text.Json for stored state: it round-trips the immutable collections and records in the
        // borrower state (the default Newtonsoft serializer with reference tracking cannot) and is faster.
        silo.UseSystemTextJsonGrainStorageSerializer();
        return settings.UsesPostgreSql ? silo.UsePostgreSql(settings) : silo.UseEmbedded(settings);
    }

    private static ISiloBuilder UseEmbedded(this ISiloBuilder silo, ClusterSettings settings) =>
        silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId)
            .AddMemoryGrainStorage(StorageNames.Borrowers)
            .UseInMemoryReminderService();

    private static ISiloBuilder UsePostgreSql(this ISiloBuilder silo, ClusterSettings settings)
    {
        // One data source (one pool) shared by the three providers keeps the connection budget per silo
        // in one place: "Maximum Pool Size" in the connection string.
        var dataSource = PostgreSqlPool.Create(settings.PostgreSql!);
        silo.Services.AddSingleton(dataSource);

        var address = string.IsNullOrWhiteSpace(settings.AdvertisedAddress)
            ? IPAddress.Loopback
            : IPAddress.Parse(settings.AdvertisedAddress);
        silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));

        return silo
            .UseAdoNetClustering(o =>
            {
                o.Invariant = PostgreSqlInvariant.Name;
                o.DataSource = dataSource;
            })
            .AddAdoNetGrainStorage(StorageNames.Borrowers, o =>
            {
                o.Invariant = PostgreSqlInvariant.Name;
                o.DataSource = dataSource;
            })
            .UseAdoNetReminderService(o =>
            {
                o.Invariant = PostgreSqlInvariant.Name;
                o.DataSource = dataSource;
            });
    }
}
