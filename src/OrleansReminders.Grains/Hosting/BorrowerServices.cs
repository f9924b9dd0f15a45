using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Configuration;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Tiering;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Time;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Hosting;

/// <summary>
/// What borrower grains need besides their ports; anything the host registered first (its validated
/// configuration) wins. No test doubles: the host chooses the <see cref="IMessageDispatcher"/> (the
/// dispatcher pool in the service) and the infrastructure chooses the contact event store
/// (<see cref="SiloBuilderExtensions.UseOrleansRemindersInfrastructure"/>); test hosts register their own.
/// </summary>
public static class BorrowerServices
{
    public static IServiceCollection AddBorrowerServices(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => CollectionConfiguration.Default);
        // One set of calendars, loaded once: the host registers the shipped ones plus an operator's folder first.
        services.TryAddSingleton(_ => HolidayCalendarSet.LoadShipped());
        services.TryAddSingleton(sp => new ContactPolicy(
            sp.GetRequiredService<CollectionConfiguration>().ContactPolicy, sp.GetRequiredService<HolidayCalendarSet>()));
        services.TryAddSingleton(_ => new TieringOptions());
        services.TryAddSingleton(sp => new BorrowerPlanner(sp.GetRequiredService<CollectionConfiguration>().Strategy, sp.GetRequiredService<ContactPolicy>()));
        services.TryAddSingleton(_ => new PhoneKeyer(PhoneKeyer.DevelopmentSecret));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RecentEventCodec>();
        services.TryAddSingleton(sp => new LocalStatusCache(
            sp.GetKeyedService<TimeProvider>(BusinessClock.Key) ?? sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(new StateDurability(SurvivesRestart: true));
        // Per resolution, as the grain's constructor parameters were; the clock is the keyed business clock.
        services.TryAddTransient(sp => new BorrowerGrainServices(
            sp.GetRequiredKeyedService<TimeProvider>(BusinessClock.Key),
            new BorrowerRules(sp.GetRequiredService<BorrowerPlanner>(), sp.GetRequiredService<TieringOptions>(),
                sp.GetService<Domain.Common.InputLimits>() ?? Domain.Common.InputLimits.Default),
            sp.GetRequiredService<IMessageDispatcher>(),
            sp.GetRequiredService<IContactEventStore>(),
            sp.GetRequiredService<PhoneKeyer>(),
            sp.GetRequiredService<RecentEventCodec>(),
            sp.GetRequiredService<StateDurability>(),
            sp.GetRequiredService<LocalStatusCache>(),
            sp.GetRequiredService<ILogger<BorrowerGrain>>(),
            sp.GetService<Microsoft.Extensions.Options.IOptions<Dispatching.DispatchOptions>>()?.Value.HandOverLease ?? new Dispatching.DispatchOptions().HandOverLease));
        // Silo-wide, acting on borrower grains only; TryAddEnumerable: a host that adds these services twice filters once.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingGrainCallFilter, StatusCacheFilter>());
        return services;
    }
}
