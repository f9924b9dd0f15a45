using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Decides when missed reminder ticks are caught up (<see cref="ReminderCatchUp"/>), checking every
/// <see cref="Probe"/>: when the cluster starts after being down (the window reaches back to the last sign of
/// life of its silos), when a silo is declared dead, and when PostgreSQL answers again after an outage (the
/// window reaches back to the outage's start), each with <see cref="Margin"/> before. Only the oldest active
/// silo runs a catch-up — every silo sees the same faults — so each fault is caught up once, within about
/// <see cref="Probe"/> of its end (plus Orleans' time to declare a silo dead).
/// </summary>
public sealed partial class CatchUpWatcher(
    ReminderCatchUp catchUp,
    NpgsqlDataSource pool,
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    string clusterId,
    TimeProvider business,
    ILogger<CatchUpWatcher> logger) : BackgroundService
{
    /// <summary>How often (real time) PostgreSQL and the membership are looked at.</summary>
    public static readonly TimeSpan Probe = TimeSpan.FromSeconds(5);

    /// <summary>How far before a fault's first sign (real time) ticks may already have been missed.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    /// <summary>The longest window (business time): beyond a day every borrower's daily tick is in it anyway.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? pending = null;
        DateTimeOffset? outageSince = null;
        var started = false;
        HashSet<SiloAddress> dead = [];
        using var timer = new PeriodicTimer(Probe);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var snapshot = membership.CurrentSnapshot;
            if (!snapshot.Members.TryGetValue(local.SiloAddress, out var me) || me.Status != SiloStatus.Active)
            {
                continue; // not yet part of the cluster: grain calls would fail
            }

            var nowDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
            try
            {
                var lastAlive = await LastSignOfLifeAsync(stoppingToken);
                if (outageSince is { } since)
                {
                    pending = Earliest(pending, since - Margin);
                    outageSince = null;
                }

                if (!started && snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 1 && lastAlive is { } last)
                {
                    pending = Earliest(pending, last - Margin); // alone in the cluster: it was down since its silos' last sign of life
                }
            }
            catch (NpgsqlException ex)
            {
                if (outageSince is null)
                {
                    outageSince = TimeProvider.System.GetUtcNow();
                    LogStorageDown(logger, ex.Message); // once per outage
                }

                continue;
            }

            if (started && nowDead.Except(dead).Any())
            {
                pending = Earliest(pending, TimeProvider.System.GetUtcNow() - Margin); // a silo was declared dead since the last look
            }

            (started, dead) = (true, nowDead);
            if (pending is not { } from)
            {
                continue;
            }

            pending = null;
            if (Coordinator(snapshot) != local.SiloAddress)
            {
                continue; // the oldest silo sees the same fault and catches it up
            }

            var now = business.GetUtcNow();
            var businessFrom = now - BusinessClock.FromReal(business, TimeProvider.System.GetUtcNow() - from);
            try
            {
                await catchUp.RunAsync(businessFrom < now - Longest ? now - Longest : businessFrom, now, stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                pending = from; // storage went again: the next look tries again
                LogStorageDown(logger, ex.Message);
            }
        }
    }

    /// <summary>The oldest active silo: the one that runs catch-ups.</summary>
    public static SiloAddress? Coordinator(ClusterMembershipSnapshot snapshot) => snapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active)
        .OrderBy(m => m.SiloAddress.Generation).ThenBy(m => m.SiloAddress.ToString(), StringComparer.Ordinal)
        .Select(m => m.SiloAddress).FirstOrDefault();

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    /// <summary>The last time (real) another silo of this cluster said it was alive; also the storage probe.</summary>
    private async Task<DateTimeOffset?> LastSignOfLifeAsync(CancellationToken cancellationToken)
    {
        await using var command = pool.CreateCommand(
            "SELECT max(i_am_alive_time) FROM orleans_membership WHERE deployment_id = $4 AND NOT (address = $1 AND port = $2 AND generation = $3)");
        command.Parameters.AddWithValue(local.SiloAddress.Endpoint.Address.ToString());
        command.Parameters.AddWithValue(local.SiloAddress.Endpoint.Port);
        command.Parameters.AddWithValue(local.SiloAddress.Generation);
        command.Parameters.AddWithValue(clusterId);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime last ? new DateTimeOffset(last, TimeSpan.Zero) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Missed reminder ticks: PostgreSQL does not answer ({Problem}); what comes due meanwhile is caught up when it does")]
    private static partial void LogStorageDown(ILogger logger, string problem);
}
