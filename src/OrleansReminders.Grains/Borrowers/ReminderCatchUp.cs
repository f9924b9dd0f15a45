using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Runs the borrower steps whose reminder tick was missed. Orleans does not replay a tick that came due while
/// the silo owning its reminder was down, or that fired while PostgreSQL was down (the activation or its write
/// failed): the next tick is a whole period — a day — later. This wakes every borrower whose reminder had a tick
/// due in a window (business time) around such a fault; a woken borrower runs its step now, and a step already
/// done is not done again (the ladder has moved past it), so a borrower woken needlessly only re-plans.
/// </summary>
public sealed partial class ReminderCatchUp(NpgsqlDataSource pool, ClusterSettings settings, IGrainFactory grains, ILogger<ReminderCatchUp> logger)
{
    /// <summary>Borrowers woken at once.</summary>
    public const int Parallelism = 16;

    /// <summary>Wakes every borrower whose reminder had a tick due in [<paramref name="from"/>, <paramref name="to"/>]; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var due = await DueAsync(from, to, cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (id, _) =>
        {
            try
            {
                await grains.GetGrain<IBorrowerGrain>(id).WakeAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWakeFailed(logger, ex, id);
            }
        });
        LogCaughtUp(logger, due.Count, from, to);
        return due;
    }

    /// <summary>
    /// The borrowers whose reminder ticks at <c>start + k × period</c> (k ≥ 0) for some tick in [from, to]: the
    /// last tick at or before <c>to</c> is at or after <c>from</c>.
    /// </summary>
    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = pool.CreateCommand(
            """
            SELECT grain_id FROM orleans_reminders
             WHERE service_id = $1 AND reminder_name = $2 AND start_time <= $4 AND period > 0
               AND (floor(extract(epoch FROM ($4 - start_time)) * 1000)::bigint % period) <= floor(extract(epoch FROM ($4 - $3)) * 1000)::bigint
            """);
        command.Parameters.AddWithValue(settings.ServiceId);
        command.Parameters.AddWithValue(BorrowerGrain.ReminderName);
        command.Parameters.AddWithValue(from.UtcDateTime);
        command.Parameters.AddWithValue(to.UtcDateTime);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(GrainId.Parse(reader.GetString(0)).Key.ToString()!);
        }

        return ids;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Missed reminder ticks: woke {Count} borrowers with a tick due between {From:O} and {To:O} (business time)")]
    private static partial void LogCaughtUp(ILogger logger, int count, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Missed reminder ticks: waking borrower {BorrowerId} failed; the next catch-up or its next tick runs it")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string borrowerId);
}
