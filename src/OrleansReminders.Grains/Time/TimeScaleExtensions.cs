using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Reminders;

namespace OrleansReminders.Grains.Time;

/// <summary>Runs business time (grain decisions and Orleans reminders) <c>scale</c> times faster than real time.</summary>
public static class TimeScaleExtensions
{
    /// <summary>
    /// Registers one <see cref="ScaledTimeProvider"/> as the business clock and as the reminder service's
    /// clock, so reminders registered for business due times fire after due/scale real time. The reminder
    /// service's own periods are set in business time so that, in real time, the table is refreshed every
    /// <paramref name="realRefresh"/> and start-up still waits <paramref name="realInitializationTimeout"/>.
    /// After <see cref="ScaledTimeProvider.ChangeScale"/> back to 1 those periods stay as set in business time: the
    /// reminder service then refreshes its table every <c>realRefresh × scale</c> (its loading window stays twice
    /// that, so a reminder is still loaded by a refresh before it is due). <c>origin</c> is the real instant at which
    /// business time equals real time, shared by the cluster's silos (<see cref="ServiceClock"/>); without one,
    /// business time starts at this silo's start.
    /// </summary>
    public static ISiloBuilder UseBusinessTimeScale(this ISiloBuilder silo, double scale, TimeSpan realRefresh, TimeSpan realInitializationTimeout,
        DateTimeOffset? origin = null)
    {
        var clock = new ScaledTimeProvider(TimeProvider.System, scale,
            origin is { } shared ? ServiceClock.BusinessAt(shared, TimeProvider.System.GetUtcNow(), scale) : null);
        silo.Services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, clock);
        silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, clock);
        silo.Services.AddSingleton(clock);
        silo.Services.PostConfigure<ReminderOptions>(o =>
        {
            o.RefreshReminderListPeriod = realRefresh * scale;
            o.ReminderLoadingWindow = realRefresh * scale * 2;
            o.InitializationTimeout = realInitializationTimeout * scale;
            o.MinimumReminderPeriod = TimeSpan.FromMinutes(1);
        });
        return silo;
    }
}
