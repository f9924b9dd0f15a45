using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Benchmarks.Schedulers;

public interface IScheduledActionGrain : IGrainWithStringKey
{
    /// <summary>Stores the entity and registers its reminder: first tick at <paramref name="firstDue"/>, one per <paramref name="period"/>.</summary>
    Task StartAsync(DateTime firstDue, TimeSpan period);

    Task StopAsync();
}

[GenerateSerializer]
public sealed class ScheduledActionState
{
    [Id(0)] public long Acted { get; set; }
    [Id(1)] public DateTime Due { get; set; }
    [Id(2)] public DateTime NextDue { get; set; }
}

/// <summary>
/// The workload the way this service runs a borrower: the entity is a grain whose state this service's
/// storage writes (<see cref="StorageNames.Borrowers"/>), woken by its Orleans reminder on PostgreSQL. The next
/// due falls on the reminder's next tick, so scheduling it needs no registration (as a borrower's
/// <c>ReminderTicks.Covers</c>): an action is one state write.
/// </summary>
public sealed class ScheduledActionGrain(
    [PersistentState("scheduled", StorageNames.Borrowers)] IPersistentState<ScheduledActionState> state,
    LatenessRecorder recorder) : Grain, IScheduledActionGrain, IRemindable
{
    private const string ReminderName = "act";

    public async Task StartAsync(DateTime firstDue, TimeSpan period)
    {
        state.State.NextDue = firstDue;
        await state.WriteStateAsync();
        var dueIn = firstDue - DateTime.UtcNow;
        await this.RegisterOrUpdateReminder(ReminderName, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, period);
    }

    public async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var now = DateTime.UtcNow;
        // The tick's due instant: the reminder's tick nearest to now (a tick runs at or just after it).
        var ticks = Math.Round((now - status.FirstTickTime) / status.Period);
        var due = DateTime.SpecifyKind(status.FirstTickTime, DateTimeKind.Utc) + status.Period * ticks;
        recorder.Record(due, now);
        state.State.Acted++;
        state.State.Due = due;
        state.State.NextDue = due + status.Period;
        await state.WriteStateAsync();
    }
}
