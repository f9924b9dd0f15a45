using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.PostgreSql.Tests.Smoke;

public sealed class SmokeGrain(
    [PersistentState("smoke", StorageNames.Borrowers)] IPersistentState<SmokeState> state)
    : Grain, ISmokeGrain, IRemindable
{
    public const string ReminderName = "smoke";

    public async Task WriteAsync(string text)
    {
        state.State.Text = text;
        await state.WriteStateAsync();
    }

    public Task<SmokeSnapshot> ReadAsync() => Task.FromResult(new SmokeSnapshot(state.State.Text, state.State.Ticks));

    public async Task StartReminderAsync(TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task StopReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        await state.WriteStateAsync();
    }
}

[GenerateSerializer]
public sealed class SmokeState
{
    [Id(0)] public string? Text { get; set; }
    [Id(1)] public int Ticks { get; set; }
}
