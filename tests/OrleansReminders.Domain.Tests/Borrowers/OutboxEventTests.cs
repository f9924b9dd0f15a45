using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Tests.Borrowers;

/// <summary>What an outbox event means for the borrower's counters, contact attempts and history.</summary>
public sealed class OutboxEventTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 12, 1, 9, 0);

    [Fact]
    public void AMessageThatNeverLeftIsNoContactAndARescheduledOneMovesItsAttempt()
    {
        var outbox = new Outbox([]);
        outbox.Add(Message("k1", transactional: false));
        outbox.Add(Message("k2", transactional: true));
        outbox.TakeEvents();

        outbox.Review(T0 + Duration.FromHours(2), _ => Reslot.To(T0 + Duration.FromHours(3), T0 + Duration.FromHours(4)));
        var moved = outbox.TakeEvents();
        outbox.CancelPending("opted out");
        var cancelled = Assert.Single(outbox.TakeEvents());

        var collection = Assert.Single(moved, e => e.Message.Key == "k1");
        Assert.Equal((T0, T0 + Duration.FromHours(3)), (collection.ContactRemovedAt, collection.ContactAddedAt));
        var transactional = Assert.Single(moved, e => e.Message.Key == "k2");
        Assert.Equal((null, null), (transactional.ContactRemovedAt, transactional.ContactAddedAt)); // never a contact attempt
        Assert.Equal(T0 + Duration.FromHours(3), cancelled.ContactRemovedAt);
        Assert.Equal(("message.rescheduled", "message.cancelled"), (collection.HistoryKind, cancelled.HistoryKind));
    }

    [Fact]
    public void OnlyAcceptanceCountsAsSentAndAGiveUpIsRecordedByItsStatus()
    {
        var outbox = new Outbox([Message("k1", transactional: false), Message("k2", transactional: false)]);
        outbox.Offer(T0, Duration.FromMinutes(2));
        outbox.TakeEvents();

        outbox.Accepted("k1");
        outbox.GaveUp("k2", offer: 1, SendOutcome.Undeliverable, "bad number");
        var (accepted, gaveUp) = (outbox.Events[0], outbox.Events[1]);

        Assert.Equal((true, false, "message.sent"), (accepted.CountsAsSent, accepted.CountsAsFailed, accepted.HistoryKind));
        Assert.Equal((false, true, "message.undeliverable"), (gaveUp.CountsAsSent, gaveUp.CountsAsFailed, gaveUp.HistoryKind));
        Assert.Equal(T0, gaveUp.ContactRemovedAt);
        Assert.Null(accepted.ContactRemovedAt);
    }

    private static OutboxMessage Message(string key, bool transactional) =>
        new(key, Channel.Sms, "t", "L1", transactional, Urgent: false, CountsAsUnanswered: true, T0, T0 + Duration.FromHours(1));
}
