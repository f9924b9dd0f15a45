using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Reminders;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Grains.Time;
using OrleansReminders.PostgreSql.Tests.Infrastructure;

namespace OrleansReminders.PostgreSql.Tests.Borrowers;

/// <summary>Borrower grains on PostgreSQL storage, reminders and history, across silo restarts and crashes.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class BorrowerPersistenceTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly RecordingMessageDispatcher _dispatcher = new();
    private readonly string _serviceId = "borrowers-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task StateAndTheScheduledReminderSurviveARestartAndTheReminderFiresAfterIt()
    {
        var id = NewId();
        await using (var first = await StartAsync())
        {
            Assert.True((await first.Grains.GetGrain<IBorrowerGrain>(id).UpsertAsync(Upsert(dueInDays: 10))).IsAccepted);
            await first.StopAsync();
        }

        Assert.Equal(1, await ReminderRows(id));
        using var watch = new ReminderWatch(key => key == id);
        await using var second = await StartAsync();
        var grain = second.Grains.GetGrain<IBorrowerGrain>(id);
        var status = await grain.GetStatusAsync();
        Assert.NotNull(status);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.Zero), status.NextActionAt); // D-3, 09:00 Shanghai

        // Business time moves to D-3 09:00 once the second silo has loaded the reminder the first one wrote
        // and armed its wait (moving the clock past a tick before that would skip the tick); it fires there.
        await watch.WaitArmedAsync(id, Patience);
        await AdvanceUntilAsync(() => _dispatcher.For(id).Any(), TimeSpan.FromDays(8));

        var message = Assert.Single(_dispatcher.For(id));
        Assert.Equal("reminder.predue", message.TemplateKey);
    }

    [Fact]
    public async Task ACrashAfterTheOutboxWriteNeitherLosesNorDuplicatesTheMessage()
    {
        var id = NewId();
        // The dispatcher takes the message, then its answer is lost (its silo died): the message stays offered.
        var crashing = new CrashAfterHandover(_dispatcher, id);
        await using (var first = await StartAsync(crashing))
        {
            var grain = first.Grains.GetGrain<IBorrowerGrain>(id);
            Assert.True((await grain.UpsertAsync(Upsert(dueInDays: -1, zone: "Etc/GMT-10"))).IsAccepted);
            Assert.Equal(0, (await grain.GetStatusAsync())!.Counts.Sent);
            await first.StopAsync();
        }

        await using var second = await StartAsync();
        _clock.Advance(TimeSpan.FromMinutes(3)); // the lease (2 minutes) runs out without a word from the dispatcher
        var borrower = second.Grains.GetGrain<IBorrowerGrain>(id);
        await borrower.WakeAsync();
        var status = await borrower.GetStatusAsync();

        // Offered again under the same key, flagged "maybe sent": the dispatcher recognised the key and said it
        // has it, so one message exists, it counts as sent once, and nothing was lost.
        var message = Assert.Single(_dispatcher.For(id));
        Assert.Equal(1, _dispatcher.Resends);
        Assert.True(_dispatcher.LastOffer(message.MessageKey) is { Offer: 2, MaybeSent: true });
        Assert.EndsWith(":L2", message.MessageKey, StringComparison.Ordinal);
        Assert.Equal(1, status!.Counts.Sent);
        Assert.Equal(0, status.PendingMessages);
        await WaitForAsync(async () => await EventRows(id, "message.sent") == 1 && await EventRows(id, "message.queued") == 1);
        Assert.Equal(1, await EventRows(id, "message.queued"));
        Assert.Equal(1, await EventRows(id, "message.sent"));
    }

    [Fact]
    public async Task AnActiveBorrowerHasExactlyOneReminderAndNoneOnceResolvedOrOptedOut()
    {
        var paying = NewId();
        var stopping = NewId();
        await using var silo = await StartAsync();
        var payer = silo.Grains.GetGrain<IBorrowerGrain>(paying);
        var stopper = silo.Grains.GetGrain<IBorrowerGrain>(stopping);
        await payer.UpsertAsync(Upsert(dueInDays: 10));
        await stopper.UpsertAsync(Upsert(dueInDays: 10));
        await payer.ReassignEscalationAsync(new EscalationReassignment(0, "ops-1", "re-plan"));

        Assert.Equal(1, await ReminderRows(paying));
        Assert.Equal(1, await ReminderRows(stopping));

        await payer.RecordPaymentAsync(new PaymentRecord("pay-1", 1500m, "CNY", Start));
        await stopper.HandleReplyAsync(new InboundReply("r-1", "TD", Start));

        Assert.Equal(0, await ReminderRows(paying));
        Assert.Equal(0, await ReminderRows(stopping));
    }

    [Fact]
    public async Task ACatchUpWakesTheBorrowersWhoseTickFellInItsWindowAndNoOthers()
    {
        await using var silo = await StartAsync();
        var (missed, later, earlier) = (NewId(), NewId(), NewId());
        foreach (var id in new[] { missed, later, earlier })
        {
            Assert.True((await silo.Grains.GetGrain<IBorrowerGrain>(id).UpsertAsync(Upsert(dueInDays: 10))).IsAccepted);
        }

        // A daily reminder whose tick came due 30 s before the window's end (missed), one not due before it,
        // and one whose last tick was 22 h before it.
        var end = Start + TimeSpan.FromDays(2);
        Assert.Equal(1, await MoveReminder(missed, end - TimeSpan.FromDays(1) - TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await MoveReminder(later, end + TimeSpan.FromHours(5)));
        Assert.Equal(1, await MoveReminder(earlier, end - TimeSpan.FromDays(1) + TimeSpan.FromHours(2)));
        var catchUp = silo.Services.GetRequiredService<OrleansReminders.Grains.Borrowers.ReminderCatchUp>();

        var woken = await catchUp.RunAsync(end - TimeSpan.FromMinutes(1), end);

        Assert.Equal([missed], woken);
        var day = await catchUp.DueAsync(end - TimeSpan.FromDays(1), end); // a day's window holds every daily tick before its end
        Assert.Contains(missed, day);
        Assert.Contains(earlier, day);
        Assert.DoesNotContain(later, day);
    }

    /// <summary>
    /// A tick that came due while no silo was up is not left for the next period: the first silo to start finds
    /// it (its cluster was down since the last silo's last sign of life) and runs the step once, within seconds.
    /// </summary>
    [Fact]
    public async Task ATickMissedWhileTheClusterWasDownRunsOnceSoonAfterASiloStarts()
    {
        var id = NewId();
        await using (var first = await StartAsync())
        {
            Assert.True((await first.Grains.GetGrain<IBorrowerGrain>(id).UpsertAsync(Upsert(dueInDays: 10))).IsAccepted);
            await first.StopAsync();
        }

        var due = new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.Zero); // D-3, 09:00 Shanghai: the reminder's tick
        _clock.SetUtcNow(due + TimeSpan.FromSeconds(30)); // the tick came and went with no silo up
        var started = DateTime.UtcNow;
        await using var second = await StartAsync();

        await Eventually.WaitForAsync(() => Task.FromResult(_dispatcher.For(id).Count()), n => n > 0, Patience, "the missed tick to be caught up");
        var caughtUpAfter = DateTime.UtcNow - started;
        await Task.Delay(OrleansReminders.Grains.Borrowers.CatchUpWatcher.Probe * 2); // later looks find nothing new to do

        var message = Assert.Single(_dispatcher.For(id));
        Assert.Equal("reminder.predue", message.TemplateKey);
        Assert.True(caughtUpAfter < TimeSpan.FromSeconds(20), $"caught up {caughtUpAfter.TotalSeconds:F1} s after the silo started");
        output.WriteLine($"missed tick caught up {caughtUpAfter.TotalSeconds:F1} s (real time) after the silo started");
    }

    [Fact]
    public async Task EveryEventReachesContactEventsExactlyOnce()
    {
        var id = NewId();
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<IBorrowerGrain>(id);

        await grain.UpsertAsync(Upsert(dueInDays: -1, zone: "Etc/GMT-10"));
        await grain.HandleReplyAsync(new InboundReply("r-1", "1", Start));
        await grain.HandleReplyAsync(new InboundReply("r-1", "1", Start));
        await grain.PauseAsync(new OpsAction("ops-3", "dispute"));
        var recent = await grain.GetRecentHistoryAsync();

        await WaitForAsync(async () => await EventRows(id, null) == recent.Events.Length);
        Assert.Equal(recent.Events.Length, await EventRows(id, null));
        Assert.Equal(1, await EventRows(id, "reply.confirm"));
        Assert.Equal(1, await EventRows(id, "borrower.paused"));
    }

    /// <summary>
    /// A payment whose state write fails on PostgreSQL leaves no trace: not remembered, not applied, not in
    /// contact_events, not written by the deactivation that follows. Its retry is applied once, and after a
    /// restart the stored borrower holds exactly the acknowledged payment.
    /// </summary>
    [Fact]
    public async Task AFailedWriteLeavesNoTraceAndTheRetryIsStoredOnce()
    {
        var id = NewId();
        var fault = new StorageFault();
        var payment = new PaymentRecord("pay-1", 100m, "CNY", Start);
        await using (var first = await StartAsync(fault: fault))
        {
            var grain = first.Grains.GetGrain<IBorrowerGrain>(id);
            Assert.True((await grain.UpsertAsync(Upsert(dueInDays: 10))).IsAccepted);
            fault.Fault = () => new StorageDownException();
            await Assert.ThrowsAnyAsync<Exception>(() => grain.RecordPaymentAsync(payment));
            fault.Fault = null;

            Assert.Equal(1_500m, (await grain.GetStatusAsync())!.Outstanding);
            Assert.Equal("partial payment", (await grain.RecordPaymentAsync(payment)).Message);
            Assert.Equal("payment already recorded", (await grain.RecordPaymentAsync(payment)).Message);
            await first.StopAsync();
        }

        await using var second = await StartAsync();
        Assert.Equal(1_400m, (await second.Grains.GetGrain<IBorrowerGrain>(id).GetStatusAsync())!.Outstanding);
        await WaitForAsync(async () => await EventRows(id, "payment.partial") >= 1);
        Assert.Equal(1, await EventRows(id, "payment.partial"));
    }

    /// <summary>
    /// Every other write on PostgreSQL: upsert, promise, pause, resume, escalation, delivery receipt, reply. Each
    /// fails once with its write refused and leaves the status unchanged, then its retry is applied; after a
    /// restart the stored borrower is the result of the acknowledged operations only.
    /// </summary>
    [Fact]
    public async Task EveryWriteOperationLeavesNoTraceWhenItsWriteFailsAndItsRetryIsStored()
    {
        var id = NewId();
        var fault = new StorageFault();
        BorrowerStatus expected;
        await using (var first = await StartAsync(fault: fault))
        {
            var grain = first.Grains.GetGrain<IBorrowerGrain>(id);
            Assert.True((await grain.UpsertAsync(Upsert(dueInDays: -1, zone: "Etc/GMT-10"))).IsAccepted); // a message goes out at once
            var key = Assert.Single(_dispatcher.For(id)).MessageKey;
            Func<IBorrowerGrain, Task<CommandResult>>[] operations =
            [
                g => g.HandleDeliveryReceiptAsync(new DeliveryReceipt(key, DeliveryStatus.Delivered, Start)),
                g => g.HandleReplyAsync(new InboundReply("reply-1", "1", Start)),
                g => g.RecordPromiseAsync(new PromiseRecord(DateOnly.FromDateTime(Start.UtcDateTime).AddDays(20), "promise", "ops-1")),
                g => g.PauseAsync(new OpsAction("ops-1", "dispute opened")),
                g => g.ResumeAsync(new OpsAction("ops-1", "dispute closed")),
                g => g.ReassignEscalationAsync(new EscalationReassignment(1, "ops-1", "call them")),
                g => g.UpsertAsync(Upsert(dueInDays: -1, zone: "Etc/GMT-10") with { Name = "Wang Fang" }),
            ];

            foreach (var operation in operations)
            {
                var before = Json(await grain.GetStatusAsync());
                fault.Fault = () => new StorageDownException();
                await Assert.ThrowsAnyAsync<Exception>(() => operation(grain));
                fault.Fault = null;
                Assert.Equal(before, Json(await grain.GetStatusAsync()));
                Assert.True((await operation(grain)).IsAccepted);
            }

            expected = (await grain.GetStatusAsync())!;
            await first.StopAsync();
        }

        await using var second = await StartAsync();
        var stored = (await second.Grains.GetGrain<IBorrowerGrain>(id).GetStatusAsync())!;
        Assert.Equal((1, 1, 1), (stored.Counts.Delivered, stored.Counts.Replies, stored.EscalationLevel));
        Assert.Equal(Json(expected with { LastContacts = [] }), Json(stored with { LastContacts = [] }));
    }

    private static string Json(BorrowerStatus? status) => System.Text.Json.JsonSerializer.Serialize(status);

    private async Task<TestSilo> StartAsync(IMessageDispatcher? dispatcher = null, StorageFault? fault = null) => await TestSilo.StartAsync(TestDatabase.ConnectionString, _serviceId, silo =>
    {
        silo.Services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, _clock);
        silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, _clock);
        silo.Services.AddSingleton(_dispatcher);
        silo.Services.AddSingleton(dispatcher ?? _dispatcher);
        silo.Services.PostConfigure<ReminderOptions>(o =>
        {
            o.RefreshReminderListPeriod = TimeSpan.FromMinutes(1);
            o.ReminderLoadingWindow = TimeSpan.FromDays(30);
        });
    }, replace: fault is null ? null : services => FaultyBorrowerStorage.Install(services, fault));

    private async Task AdvanceUntilAsync(Func<bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + Patience;
        for (var moved = TimeSpan.Zero; !done(); moved += TimeSpan.FromHours(1))
        {
            Assert.True(moved < limit && DateTime.UtcNow < deadline, $"nothing happened after {moved} of business time");
            _clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(10);
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> done) =>
        await Eventually.WaitForAsync(done, d => d, Patience, "the history table to catch up");

    private Task<long> MoveReminder(string id, DateTimeOffset start) => TestDatabase.ScalarAsync<long>(
        "WITH moved AS (UPDATE orleans_reminders SET start_time = @t, period = 86400000 WHERE service_id = @s AND grain_id LIKE @g RETURNING 1) SELECT count(*) FROM moved",
        ("t", start.UtcDateTime), ("s", _serviceId), ("g", "%/" + id));

    private static Task<long> ReminderRows(string id) => TestDatabase.ScalarAsync<long>(
        "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE @g", ("g", "%/" + id));

    private static Task<long> EventRows(string id, string? kind) => TestDatabase.ScalarAsync<long>(
        "SELECT count(*) FROM contact_events WHERE borrower_id = @b AND (@k::text IS NULL OR kind = @k)", ("b", id), ("k", kind));

    private static string NewId() => "pg-" + Guid.NewGuid().ToString("N")[..10];

    private static BorrowerUpsert Upsert(int dueInDays, string zone = "Asia/Shanghai") => new(
        "+8613812345678", "zh-CN", [zone], "CN",
        [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(Start.UtcDateTime).AddDays(dueInDays))]);

    private sealed class CrashAfterHandover(RecordingMessageDispatcher inner, string borrowerId) : IMessageDispatcher
    {
        private int _calls;

        public async Task<DispatchResult> DispatchAsync(OutboundMessage message, CancellationToken cancellationToken = default)
        {
            var result = await inner.DispatchAsync(message, cancellationToken);
            return message.BorrowerId == borrowerId && Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("the silo died after handing the message over")
                : result;
        }
    }
}
