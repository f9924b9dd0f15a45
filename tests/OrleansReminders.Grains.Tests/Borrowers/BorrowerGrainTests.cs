using System.Collections.Immutable;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Grains.Tests.Borrowers;

[Collection(BorrowerCluster.Name)]
public sealed class BorrowerGrainTests(BorrowerClusterFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task UpsertValidatesEveryFieldAndChangesNothingWhenRejected()
    {
        var grain = Borrower();
        var bad = Upsert(dueInDays: 9) with
        {
            Phone = "12345",
            TimeZones = ["Mars/Olympus"],
            Debts = [new DebtInput("d1", -5m, "yuan", new DateOnly(2001, 1, 1))],
        };

        var result = await grain.UpsertAsync(bad);

        Assert.Equal(CommandOutcome.Rejected, result.Outcome);
        var fields = result.Problems.Select(p => p.Field).ToList();
        Assert.Contains("phone", fields);
        Assert.Contains(fields, f => f.StartsWith("timeZoneIds", StringComparison.Ordinal) || f.StartsWith("timeZones", StringComparison.Ordinal));
        Assert.Contains("debts[0].amountDue", fields);
        Assert.Contains("debts[0].currency", fields);
        Assert.Contains("debts[0].dueDate", fields);
        Assert.Null(await grain.GetStatusAsync());
    }

    [Fact]
    public async Task UpsertPlansThePreDueReminderAtNineInTheBorrowersZone()
    {
        var grain = Borrower();

        var result = await grain.UpsertAsync(Upsert(dueInDays: 9));
        var status = await grain.GetStatusAsync();

        Assert.True(result.IsAccepted);
        Assert.NotNull(status);
        Assert.Equal("not-started", status.Stage);
        // Due 2026-03-10: D-3 is 2026-03-07, 09:00 in Shanghai (preferred window start) = 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 1, 0, 0, TimeSpan.Zero), status.NextActionAt);
    }

    [Fact]
    public async Task AnUpsertRepeatedIsIdempotent()
    {
        var grain = Borrower();
        await grain.UpsertAsync(Upsert(dueInDays: 20));
        var first = await grain.GetStatusAsync();

        await grain.UpsertAsync(Upsert(dueInDays: 20));
        var second = await grain.GetStatusAsync();

        Assert.Equal(first!.NextActionAt, second!.NextActionAt);
        Assert.Equal(first.LadderStep, second.LadderStep);
        Assert.Equal(first.Outstanding, second.Outstanding);
    }

    [Fact]
    public async Task ADueStepIsSentOnceEvenWhenTheGrainRunsTwice()
    {
        var id = NewId();
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        var now = fixture.Clock.GetUtcNow();

        // Due two days ago in a zone where it is now inside the preferred window: the due-day step is overdue.
        await grain.UpsertAsync(Upsert(dueInDays: -2, zone: TestZones.WhereItIsMorning(now)));
        await grain.UpsertAsync(Upsert(dueInDays: -2, zone: TestZones.WhereItIsMorning(now)));
        await grain.ReassignEscalationAsync(new EscalationReassignment(0, "ops-1", "re-run ladder"));

        var sent = Assert.Single(fixture.Dispatcher.For(id));
        Assert.Equal("reminder.due", sent.TemplateKey);
        var status = await grain.GetStatusAsync();
        Assert.Equal(2, status!.LadderStep);
        Assert.Equal(1, status.Counts.Sent);
    }

    [Fact]
    public async Task OptOutReplyStopsEverythingAndNothingOverridesIt()
    {
        var id = NewId();
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        await grain.UpsertAsync(Upsert(dueInDays: 5));

        var reply = await grain.HandleReplyAsync(new InboundReply("r1", "Stop. Thank you", fixture.Clock.GetUtcNow()));
        await grain.ReassignEscalationAsync(new EscalationReassignment(1, "ops-1", "try the call"));
        var status = await grain.GetStatusAsync();

        Assert.Equal("OptOut", reply.Message);
        Assert.Contains("opted-out", status!.Flags);
        Assert.Null(status.NextActionAt);
        Assert.StartsWith("done", status.NextAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullPaymentResolvesAndQueuesAThankYou()
    {
        var id = NewId();
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        await grain.UpsertAsync(Upsert(dueInDays: 5));

        var result = await grain.RecordPaymentAsync(new PaymentRecord("p1", 1500m, "CNY", fixture.Clock.GetUtcNow()));
        var again = await grain.RecordPaymentAsync(new PaymentRecord("p1", 1500m, "CNY", fixture.Clock.GetUtcNow()));
        var status = await grain.GetStatusAsync();

        Assert.Equal("resolved", result.Message);
        Assert.Equal("payment already recorded", again.Message);
        Assert.Equal("resolved", status!.Stage);
        Assert.Equal(0m, status.Outstanding);
        Assert.Null(status.NextActionAt);
        var thanks = Assert.Single(fixture.Dispatcher.For(id));
        Assert.True(thanks.Transactional);
        Assert.Equal("thanks.payment", thanks.TemplateKey);
    }

    [Fact]
    public async Task PartialPaymentKeepsTheLadderGoing()
    {
        var grain = Borrower();
        await grain.UpsertAsync(Upsert(dueInDays: 5));

        await grain.RecordPaymentAsync(new PaymentRecord("p1", 500m, "CNY", fixture.Clock.GetUtcNow()));
        var status = await grain.GetStatusAsync();

        Assert.Equal(1000m, status!.Outstanding);
        Assert.NotNull(status.NextActionAt);
    }

    [Fact]
    public async Task APromiseSuspendsTheLadderUntilItsDateAndIsLimitedToSixMonths()
    {
        var grain = Borrower();
        await grain.UpsertAsync(Upsert(dueInDays: -5));
        var today = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime);

        var tooFar = await grain.RecordPromiseAsync(new PromiseRecord(today.AddMonths(7), "extension", "ops-1"));
        var ok = await grain.RecordPromiseAsync(new PromiseRecord(today.AddDays(10), "promise", "borrower"));
        var status = await grain.GetStatusAsync();

        Assert.Equal(CommandOutcome.Rejected, tooFar.Outcome);
        Assert.Equal("until", Assert.Single(tooFar.Problems).Field);
        Assert.True(ok.IsAccepted);
        Assert.Equal(today.AddDays(10), status!.SuspendedUntil);
        Assert.True(status.NextActionAt >= new DateTimeOffset(today.AddDays(10).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(-8));
    }

    [Fact]
    public async Task PauseAndReassignAreAuditedAndNeedAnOperatorAndReason()
    {
        var grain = Borrower();
        await grain.UpsertAsync(Upsert(dueInDays: 5));

        var anonymous = await grain.PauseAsync(new OpsAction("", ""));
        await grain.PauseAsync(new OpsAction("ops-7", "dispute filed"));
        var paused = await grain.GetStatusAsync();
        await grain.ResumeAsync(new OpsAction("ops-7", "dispute closed"));
        var badLevel = await grain.ReassignEscalationAsync(new EscalationReassignment(9, "ops-7", "x"));
        var history = await grain.GetRecentHistoryAsync();

        Assert.Equal(["operator", "reason"], anonymous.Problems.Select(p => p.Field));
        Assert.Equal("paused", paused!.Stage);
        Assert.Null(paused.NextActionAt);
        Assert.Equal("level", Assert.Single(badLevel.Problems).Field);
        Assert.Contains(history.Events, e => e.Kind == "borrower.paused" && e.Actor == "ops-7" && e.Reason == "dispute filed");
        Assert.Contains(history.Events, e => e.Kind == "borrower.resumed" && e.Actor == "ops-7");
    }

    [Fact]
    public async Task WakingTwiceOnTheSameStepSendsOnceAndKeepsTheSchedule()
    {
        var id = NewId();
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        await grain.UpsertAsync(Upsert(dueInDays: -2, zone: TestZones.WhereItIsMorning(fixture.Clock.GetUtcNow())));

        var first = await grain.WakeAsync();
        var second = await grain.WakeAsync();

        Assert.Single(fixture.Dispatcher.For(id));
        Assert.NotNull(first);
        Assert.Equal(first, second);
        Assert.Equal(1, (await grain.GetStatusAsync())!.Counts.Sent);
    }

    [Fact]
    public async Task AChangedAmountKeepsTheLadderButANewDueDateStartsANewCycle()
    {
        var id = NewId();
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        var zone = TestZones.WhereItIsMorning(fixture.Clock.GetUtcNow());
        await grain.UpsertAsync(Upsert(dueInDays: -2, zone: zone));

        await grain.UpsertAsync(Upsert(dueInDays: -2, zone: zone) with
        {
            Debts = [new DebtInput("loan-1", 1800m, "CNY", DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(-2))],
        });
        var afterFee = await grain.GetStatusAsync();
        await grain.UpsertAsync(Upsert(dueInDays: -1, zone: zone));
        var afterNewDue = await grain.GetStatusAsync();

        // The fee changed the amount only: same cycle, ladder kept, the due-day message not sent again.
        Assert.Equal(1800m, afterFee!.Outstanding);
        Assert.Equal(2, afterFee.LadderStep);
        Assert.Single(fixture.Dispatcher.For(id));
        // A new due date starts the ladder again (its first message waits for CN's 7-day cycle gap).
        Assert.Equal(1500m, afterNewDue!.Outstanding);
        Assert.Equal(-1, afterNewDue.LadderStep);
        Assert.True(afterNewDue.NextActionAt > fixture.Clock.GetUtcNow().AddDays(6));
    }

    [Fact]
    public async Task UnknownBorrowerCommandsSayNotFound()
    {
        var result = await Borrower().RecordPaymentAsync(new PaymentRecord("p", 1m, "CNY", fixture.Clock.GetUtcNow()));

        Assert.Equal(CommandOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task HistoryTheTableRefusedIsKeptInStateAndWrittenOnceOnTheNextRun()
    {
        var id = NewId();
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        fixture.Events.Failing = true;
        try
        {
            Assert.True((await grain.UpsertAsync(Upsert(dueInDays: 9))).IsAccepted);
        }
        finally
        {
            fixture.Events.Failing = false;
        }

        var whileDown = await fixture.Events.ReadAsync(id, null, 100);
        var recent = (await grain.GetRecentHistoryAsync()).Events;
        await grain.WakeAsync();
        await grain.WakeAsync();
        var written = await fixture.Events.ReadAsync(id, null, 100);

        Assert.Empty(whileDown.Events);
        var upserted = Assert.Single(recent, e => e.Kind == "borrower.upserted");
        Assert.Equal(id, upserted.BorrowerId); // the stored window leaves the id out; it comes back on reading
        Assert.Equal(recent.Select(e => e.EventId).Order(), written.Events.Select(e => e.EventId).Order());
    }

    private IBorrowerGrain Borrower() => fixture.Grains.GetGrain<IBorrowerGrain>(NewId());

    private static string NewId() => "b-" + Guid.NewGuid().ToString("N")[..10];

    private BorrowerUpsert Upsert(int dueInDays, string zone = "Asia/Shanghai") => new(
        "+8613812345678", "zh-CN", [zone], "CN",
        [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(dueInDays))],
        Name: "Li Wei");
}
