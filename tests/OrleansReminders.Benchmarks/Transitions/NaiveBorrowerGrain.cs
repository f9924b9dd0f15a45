using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// The naive Orleans pattern the design must beat: every step writes the whole state and re-registers
/// the reminder (a second database write), whether or not its due time changed much.
/// </summary>
public sealed class NaiveBorrowerGrain(
    [PersistentState("naive", StorageNames.Borrowers)] IPersistentState<NaiveBorrowerState> state,
    TimeProvider timeProvider) : Grain, INaiveBorrowerGrain, IRemindable
{
    public const string ReminderName = "next";

    private static readonly string[] Templates = ["pre-due-3", "pre-due-1", "due-day", "overdue-3", "overdue-7", "overdue-14"];

    public async Task<int> StepAsync()
    {
        var now = timeProvider.GetUtcNow();
        Advance(now);
        await state.WriteStateAsync();
        var dueTime = TimeSpan.FromDays(1) + TimeSpan.FromMinutes(state.State.Step % 60);
        await this.RegisterOrUpdateReminder(ReminderName, dueTime, TimeSpan.FromDays(1));
        return state.State.Step;
    }

    public Task<int> TouchAsync()
    {
        Seed(timeProvider.GetUtcNow());
        return Task.FromResult(state.State.Step);
    }

    // The ladder never fires inside a benchmark run (due in a day); a tick is acknowledged and ignored.
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private void Advance(DateTimeOffset now)
    {
        Seed(now);
        var s = state.State;
        s.Step++;
        s.History.Add(Contact(s.Step, now));
        if (s.History.Count > NaiveBorrowerState.HistoryBound)
        {
            s.History.RemoveAt(0);
        }
        s.NextActionAt = now + TimeSpan.FromDays(1);
    }

    private void Seed(DateTimeOffset now)
    {
        var s = state.State;
        if (s.History.Count > 0)
        {
            return;
        }
        s.Name = "Borrower " + this.GetPrimaryKeyString();
        s.Phone = "+15555550123";
        s.Tier = "medium";
        s.Locale = "en-US";
        s.TimeZone = "America/New_York";
        s.Debts = [Debt("loan-1", 1250.40m, now), Debt("loan-2", 310.00m, now)];
        for (var i = 0; i < NaiveBorrowerState.HistoryBound; i++)
        {
            s.History.Add(Contact(i - NaiveBorrowerState.HistoryBound, now.AddDays(i - NaiveBorrowerState.HistoryBound)));
        }
    }

    private static NaiveDebt Debt(string id, decimal amount, DateTimeOffset now) =>
        new() { DebtId = id, Amount = amount, Currency = "USD", DueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-7) };

    private static NaiveContact Contact(int step, DateTimeOffset at) => new()
    {
        Step = step,
        At = at,
        Channel = "sms",
        Template = Templates[Math.Abs(step) % Templates.Length],
        Outcome = "delivered",
    };
}
