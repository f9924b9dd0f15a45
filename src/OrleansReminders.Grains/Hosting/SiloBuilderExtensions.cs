using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.History;
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
        silo.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = settings.IdleDeactivationAfter;
            o.DeactivationTimeout = settings.DeactivationTimeout;
            o.CollectionQuantum = settings.IdleDeactivationAfter <= o.CollectionQuantum ? settings.IdleDeactivationAfter / 2 : o.CollectionQuantum;
            o.EnableActivationSheddingOnMemoryPressure = settings.ShedActivationsAbovePercent > 0;
            if (o.EnableActivationSheddingOnMemoryPressure)
            {
                o.MemoryUsageLimitPercentage = settings.ShedActivationsAbovePercent;
                o.MemoryUsageTargetPercentage = Math.Max(1, settings.ShedActivationsAbovePercent - 5);
            }
        });
        silo.Services.AddSingleton(new StateDurability(settings.UsesPostgreSql));
        silo.Services.AddBorrowerServices();
        silo.Services.AddSingleton<IIncomingGrainCallFilter, InfrastructureExceptionFilter>();
        if (settings.TimeScale > 1)
        {
            silo.UseBusinessTimeScale(settings.TimeScale, realRefresh: TimeSpan.FromSeconds(2), settings.ReminderInitializationTimeout,
                settings.TimeScaleOrigin ?? (settings.UsesPostgreSql ? ServiceClock.Origin(settings) : null));
        }

        silo.UseOrleansRemindersStateFormat();
        silo = settings.UsesPostgreSql ? silo.UsePostgreSql(settings) : silo.UseEmbedded(settings);
        TranslatingGrainStorage.Decorate(silo.Services, StorageNames.Borrowers, inner => new TranslatingGrainStorage(inner));
        return silo;
    }

    /// <summary>
    /// Stored state uses Orleans' own binary format: the state types already carry [GenerateSerializer]
    /// and [Id]s, so it is version-tolerant the same way grain messages are, and it is several times
    /// smaller and cheaper to write than JSON for the borrower state (tests/BENCHMARKS.md). <see cref="StateFormat"/>
    /// writes the same bytes as Orleans' <c>OrleansGrainStorageSerializer</c> with fewer allocations.
    /// </summary>
    public static ISiloBuilder UseOrleansRemindersStateFormat(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IGrainStorageSerializer, StateFormat>();
        return silo;
    }

    // The contact event store follows the storage: in memory on the embedded default, the contact_events
    // table on PostgreSQL. TryAdd: a test host that registered its own store first keeps it.
    private static ISiloBuilder UseEmbedded(this ISiloBuilder silo, ClusterSettings settings)
    {
        silo.Services.TryAddSingleton<IContactEventStore, InMemoryContactEventStore>();
        return silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId)
            .AddMemoryGrainStorage(StorageNames.Borrowers)
            .UseInMemoryReminderService();
    }

    private static ISiloBuilder UsePostgreSql(this ISiloBuilder silo, ClusterSettings settings)
    {
        // One data source (one pool) shared by the three providers keeps the connection budget per silo
        // in one place: "Maximum Pool Size" in the connection string.
        var dataSource = PostgreSqlPool.Create(settings.PostgreSql!, settings.DerivedPoolSize);
        // Registered through a factory so the host disposes it (closes its connections) when it stops; an
        // instance registration would leave the pool open after the host is gone.
        silo.Services.AddSingleton(_ => dataSource);
        silo.Services.AddHostedService<PostgreSqlPoolOwner>();
        silo.Services.AddSingleton(sp => new ReminderCatchUp(dataSource, settings, sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ILogger<ReminderCatchUp>>()));
        silo.Services.AddHostedService(sp => new CatchUpWatcher(sp.GetRequiredService<ReminderCatchUp>(), dataSource,
            sp.GetRequiredService<IClusterMembershipService>(), sp.GetRequiredService<ILocalSiloDetails>(), settings.ClusterId,
            sp.GetRequiredKeyedService<TimeProvider>(BusinessClock.Key), sp.GetRequiredService<ILogger<CatchUpWatcher>>()));
        silo.Services.AddHostedService(sp => new ConnectionBudgetCheck(
            dataSource, settings, sp.GetRequiredService<ILocalSiloDetails>(), sp.GetRequiredService<ILogger<ConnectionBudgetCheck>>()));
        silo.Services.TryAddSingleton<IContactEventStore>(sp =>
            new PostgreSqlContactEventStore(dataSource, sp.GetRequiredService<ILogger<PostgreSqlContactEventStore>>()));

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

    /// <summary>Resolves the pool at start, so the host owns it and disposes it when the host is disposed.</summary>
    private sealed class PostgreSqlPoolOwner(NpgsqlDataSource pool) : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(pool);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
