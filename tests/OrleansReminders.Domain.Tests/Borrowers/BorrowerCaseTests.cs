using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Domain.Tests.Borrowers;

/// <summary>
/// The borrower aggregate: each operation decides on a copy of the file (the one it started from never
/// changes), answers a verdict, records its history, and a step says what the reminder needs.
/// </summary>
public sealed class BorrowerCaseTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly BorrowerRules Rules = new(new BorrowerPlanner(CollectionStrategy.Default, ContactPolicy.CreateDefault()), new TieringOptions(), InputLimits.Default);
    private static readonly BorrowerProfile Profile = new("+12025550143", "Ann", "en-US", ["America/New_York"], "US", "US");
    private static readonly Instant Monday = At(2027, 3, 1, 10, 0);
    private static readonly Duration Lease = Duration.FromMinutes(2);

    [Fact]
    public void AFirstUpsertStartsACycleAndAProfileChangeKeepsIt()
    {
        var first = Case(BorrowerFile.Empty);
        Assert.Equal(VerdictKind.Changed, first.Upsert(Profile, [Debt("d1", 100m, 2027, 3, 10)], null, Monday).Kind);
        var file = first.Snapshot(Monday);

        var second = Case(file);
        second.Upsert(Profile with { Name = "Ann B." }, [Debt("d1", 100m, 2027, 3, 10)], null, Monday);

        Assert.Equal((true, 1), (file.Exists, file.Cycle));
        Assert.Equal("new debt cycle", Reason(first));
        Assert.Equal("profile", Reason(second));
        Assert.Equal((1, "Ann B."), (second.Snapshot(Monday).Cycle, second.Snapshot(Monday).Profile.Name));
    }

    [Fact]
    public void AChangedAmountKeepsWhatWasPaidAndTheLadderButANewDueDateStartsOver()
    {
        var file = Upserted([Debt("d1", 100m, 2027, 3, 10)]) with { Ladder = new LadderState(LastStepIndex: 2) };
        var paid = Case(file);
        paid.Pay("p1", 30m, "USD", Monday, Monday);
        file = paid.Snapshot(Monday);

        var amended = Case(file);
        amended.Upsert(Profile, [Debt("d1", 120m, 2027, 3, 10)], null, Monday);
        var moved = Case(file);
        moved.Upsert(Profile, [Debt("d1", 100m, 2027, 4, 10)], null, Monday);

        Assert.Equal("debts changed", Reason(amended));
        Assert.Equal((90m, 2, 1), (amended.Snapshot(Monday).Debts[0].Outstanding, amended.Snapshot(Monday).Ladder.LastStepIndex, amended.Snapshot(Monday).Cycle));
        Assert.Equal("new debt cycle", Reason(moved));
        Assert.Equal((-1, 2), (moved.Snapshot(Monday).Ladder.LastStepIndex, moved.Snapshot(Monday).Cycle));
    }

    [Fact]
    public void APaymentGoesToTheOldestDebtFirstIsAppliedOncePerIdAndAFullOneThanks()
    {
        var file = Upserted([Debt("late", 50m, 2027, 4, 1), Debt("early", 40m, 2027, 2, 1)]);
        var partial = Case(file);
        Assert.Equal("partial payment", partial.Pay("p1", 60m, "USD", Monday, Monday).Note);
        file = partial.Snapshot(Monday);

        var retry = Case(file);
        var again = retry.Pay("p1", 60m, "USD", Monday, Monday);
        var rest = Case(file);
        var full = rest.Pay("p2", 30m, "USD", Monday, Monday);
        var after = rest.Snapshot(Monday);

        Assert.Equal([30m, 0m], file.Debts.Select(d => d.Outstanding));
        Assert.Equal((VerdictKind.Unchanged, "payment already recorded"), (again.Kind, again.Note));
        Assert.Empty(retry.TakeEvents());
        Assert.Equal("resolved", full.Note);
        Assert.True(after.Resolved);
        var thanks = Assert.Single(after.Outbox);
        Assert.Equal(("b-1:1:thanks.payment", true, OutboxStatus.Pending), (thanks.Key, thanks.Transactional, thanks.Status));
    }

    [Fact]
    public void BadInputIsRejectedByFieldAndAnUnknownBorrowerIsNamed()
    {
        var file = Upserted([Debt("d1", 100m, 2027, 3, 10)]);
        var bad = Case(file);

        var payment = bad.Pay("p1", -5m, "usd", Monday, Monday);
        var promise = bad.Promise(new LocalDate(2099, 1, 1), "promise", "ops", null, Monday);
        var pause = bad.SetPaused(true, " ", null, Monday);
        var level = bad.Reassign(99, "ops", "why", Monday);
        var unknown = Case(BorrowerFile.Empty).Pay("p1", 5m, "USD", Monday, Monday);

        Assert.All([payment, promise, pause, level], v => Assert.Equal(VerdictKind.Rejected, v.Kind));
        Assert.Contains(payment.Problems, p => p.Path == "amount");
        Assert.Contains(payment.Problems, p => p.Path == "currency");
        Assert.Contains(promise.Problems, p => p.Path == "until");
        Assert.Equal(["operator", "reason"], pause.Problems.Select(p => p.Path));
        Assert.Equal("level", Assert.Single(level.Problems).Path);
        Assert.Empty(bad.TakeEvents());
        Assert.Equal(file.Debts, bad.Snapshot(Monday).Debts);
        Assert.Equal((VerdictKind.Unknown, "borrower b-1 is not known"), (unknown.Kind, unknown.Note));
    }

    [Fact]
    public void AnOptOutReplyStopsWhatIsQueuedResetsTheRunAndIsHandledOnce()
    {
        var file = Upserted([Debt("d1", 100m, 2027, 3, 10)]) with { Ladder = new LadderState(LastStepIndex: 1, ConsecutiveUnanswered: 2) };
        var pending = new OutboxMessage("b-1:1:L2", Channel.Sms, "t", "L2", false, false, true, Monday, Monday + Duration.FromHours(8));
        file = file with { Outbox = [pending] };

        var stop = Case(file);
        Assert.Equal("OptOut", stop.Reply("r1", "STOP", Monday).Note);
        var after = stop.Snapshot(Monday);
        var again = Case(after).Reply("r1", "STOP", Monday);

        Assert.True(after.Consent.OptedOut);
        Assert.Equal((0, 1), (after.Ladder.ConsecutiveUnanswered, after.Counts.Replies));
        Assert.Equal(OutboxStatus.Cancelled, Assert.Single(after.Outbox).Status);
        Assert.Contains(stop.TakeEvents(), e => e.Kind == "reply.optout");
        Assert.Equal(VerdictKind.Unchanged, again.Kind);
    }

    [Fact]
    public void AStepOffersTheDueMessageOnceSetsTheReminderAndOnlyAnAcceptanceCountsAsSent()
    {
        var (borrower, step, now) = FirstSend(Upserted([Debt("d1", 100m, 2027, 3, 10)]));
        var offered = Assert.Single(step.Offered);
        var file = borrower.Snapshot(now);

        var repeat = Case(file);
        var second = repeat.Step(now, Lease);
        var accepted = Case(file);
        var verdict = accepted.Accepted(offered.Key, now);
        var late = accepted.Accepted(offered.Key, now);

        Assert.Equal(OutboxStatus.Offered, file.Outbox.Single(m => m.Key == offered.Key).Status);
        Assert.Equal(0, file.Counts.Sent);
        Assert.NotEqual(ReminderOp.Unregister, step.Reminder.Op);
        Assert.Empty(second.Offered);
        Assert.Single(repeat.Snapshot(now).Outbox);
        Assert.Equal((VerdictKind.Kept, "accepted"), (verdict.Kind, verdict.Note));
        Assert.Equal(VerdictKind.Unchanged, late.Kind);
        Assert.Equal(1, accepted.Snapshot(now).Counts.Sent);
    }

    [Fact]
    public void AReturnedMessageIsOfferedAgainUnderItsKeyAndTheVerdictReadsItsStatusAfterTheStep()
    {
        var (borrower, step, now) = FirstSend(Upserted([Debt("d1", 100m, 2027, 3, 10)]));
        var offered = Assert.Single(step.Offered);
        var returned = Case(borrower.Snapshot(now));

        var verdict = returned.Returned(offered.Key, offered.Offers, maybeSent: false, "queue full", now);
        var again = returned.Step(now, Lease);

        Assert.Equal((VerdictKind.Changed, offered.Key), (verdict.Kind, verdict.StatusOf));
        Assert.Equal(offered.Key, Assert.Single(again.Offered).Key);
        Assert.Equal(2, again.Offered[0].Offers);
        Assert.Equal("offered", returned.Note(verdict));
        Assert.Equal(VerdictKind.Unknown, returned.Returned("b-1:9:L9", 1, false, null, now).Kind);
    }

    [Fact]
    public void AHandOverTheDispatcherDefersIsStoredAndOneItTakesIsNot()
    {
        var (borrower, step, now) = FirstSend(Upserted([Debt("d1", 100m, 2027, 3, 10)]));
        var offered = Assert.Single(step.Offered);
        var file = borrower.Snapshot(now);

        var taken = Case(file);
        taken.HandedOver(offered, HandOverAnswer.Queued, null, null, now);
        var deferred = Case(file);
        deferred.HandedOver(offered, HandOverAnswer.Deferred, null, "queue full", now);
        var sentAtOnce = Case(file);
        sentAtOnce.HandedOver(offered, HandOverAnswer.AlreadyAccepted, null, null, now);

        Assert.Equal(default, taken.AfterHandOver(now));
        var stored = deferred.AfterHandOver(now);
        Assert.Equal((true, true), (stored.Changed, stored.Write));
        Assert.Equal(OutboxStatus.Pending, deferred.Snapshot(now).Outbox.Single().Status);
        var kept = sentAtOnce.AfterHandOver(now);
        Assert.Equal((true, false), (kept.Changed, kept.Write));
        Assert.Equal(1, sentAtOnce.Snapshot(now).Counts.Sent);
    }

    [Fact]
    public void AReminderTickOnTheWakeTimeOrJustAfterItNeedsNoNewRegistrationATickBeforeItDoes()
    {
        var ticks = new ReminderTicks(Monday, BorrowerCase.ReminderPeriod);

        Assert.True(ticks.Covers(Monday));
        Assert.True(ticks.Covers(Monday + Duration.FromDays(3)));
        Assert.True(ticks.Covers(Monday + Duration.FromDays(3) - Duration.FromMilliseconds(500)));
        Assert.True(ticks.Covers(Monday - Duration.FromMilliseconds(500)));
        Assert.False(ticks.Covers(Monday + Duration.FromDays(3) + Duration.FromMilliseconds(500)));
        Assert.False(ticks.Covers(Monday + Duration.FromMilliseconds(3)));
        Assert.False(ticks.Covers(Monday + Duration.FromDays(3) + Duration.FromHours(1)));
        Assert.False(ticks.Covers(Monday - Duration.FromDays(1)));
        Assert.False(new ReminderTicks().Covers(Monday));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(500)]
    [InlineData(5_300)]
    public void ATickThatComesBeforeItsWakeRegistersTheWakeAgainInsteadOfLeavingItToTheNextTick(int earlyMs)
    {
        // The silo that owns the reminder reads its own clock: its ticks can fall a little before the wake the
        // grain registered. The step at such a tick finds the wake not yet due; it must not wait a whole period.
        var file = Upserted([Debt("d1", 100m, 2027, 3, 10)]);
        var first = Case(file);
        var wake = Assert.IsType<PlanWait>(first.Step(Monday, Lease).Plan).At;
        file = first.Snapshot(Monday);
        Assert.True(file.Reminder.Covers(wake));

        var early = Duration.FromMilliseconds(earlyMs);
        var ticked = Case(file);
        ticked.Ticked(wake - early, BorrowerCase.ReminderPeriod);
        var step = ticked.Step(wake - early, Lease);

        Assert.Equal(wake, Assert.IsType<PlanWait>(step.Plan).At);
        Assert.Equal(new ReminderChange(ReminderOp.Register, early), step.Reminder);
        Assert.Equal(wake, ticked.Snapshot(wake - early).Reminder.FirstTick);
    }

    [Fact]
    public void ATickOnItsWakeKeepsTheReminderAsItIs()
    {
        var file = Upserted([Debt("d1", 100m, 2027, 3, 10)]);
        var first = Case(file);
        var wake = Assert.IsType<PlanWait>(first.Step(Monday, Lease).Plan).At;
        file = first.Snapshot(Monday);

        var ticked = Case(file);
        ticked.Ticked(wake, BorrowerCase.ReminderPeriod);
        ticked.Step(wake, Lease);

        Assert.Equal(file.Reminder, ticked.Snapshot(wake).Reminder);
    }

    [Fact]
    public void APausedBorrowerIsIdleAndItsReminderGoes()
    {
        var (borrower, _, now) = FirstSend(Upserted([Debt("d1", 100m, 2027, 3, 10)]));
        var file = borrower.Snapshot(now);
        var accepted = Case(file);
        accepted.Accepted(file.Outbox.Single().Key, now);
        file = accepted.Snapshot(now);

        var paused = Case(file);
        Assert.Equal(VerdictKind.Changed, paused.SetPaused(true, "ops", "dispute call", now).Kind);
        var step = paused.Step(now, Lease);

        Assert.IsType<PlanIdle>(step.Plan);
        Assert.Equal(ReminderOp.Unregister, step.Reminder.Op);
        Assert.Null(paused.Snapshot(now).NextActionAt);
        Assert.NotNull(file.Reminder.FirstTick);
    }

    /// <summary>Steps from the upsert to the first message offered, following the planner's wake-ups.</summary>
    private static (BorrowerCase Borrower, StepResult Step, Instant Now) FirstSend(BorrowerFile file)
    {
        var now = Monday;
        for (var i = 0; i < 60; i++)
        {
            var borrower = Case(file);
            var step = borrower.Step(now, Lease);
            if (step.Offered.Length > 0)
            {
                return (borrower, step, now);
            }

            file = borrower.Snapshot(now);
            now = Assert.IsType<PlanWait>(step.Plan).At;
        }

        throw new InvalidOperationException("no message within 60 wake-ups");
    }

    private static BorrowerFile Upserted(Debt[] debts)
    {
        var borrower = Case(BorrowerFile.Empty);
        borrower.Upsert(Profile, [.. debts], null, Monday);
        return borrower.Snapshot(Monday);
    }

    private static string? Reason(BorrowerCase borrower) => borrower.TakeEvents().Single(e => e.Kind == "borrower.upserted").Reason;

    private static BorrowerCase Case(BorrowerFile file) => new("b-1", file, Rules, (cycle, step) => $"b-1:{cycle}:{step}");

    private static Debt Debt(string id, decimal amount, int y, int m, int d) => new(id, amount, "USD", new LocalDate(y, m, d));

    private static Instant At(int y, int m, int d, int h, int min) => NewYork.AtStrictly(new LocalDateTime(y, m, d, h, min)).ToInstant();
}
