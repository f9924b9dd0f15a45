using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Dispatching;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Tests.Dispatching;

/// <summary>How a dispatcher reads the provider's answers: counts, retries, reports and when the account slows down.</summary>
public sealed class SendOutcomesTests
{
    private static readonly SmsSendResult Transient = new(SmsSendStatus.Transient, Code: "503");
    private static readonly Instant Now = Instant.FromUtc(2027, 3, 1, 10, 0);

    [Fact]
    public void ThreeTransientFailuresInARowSlowTheAccountDownAndAnAcceptanceStartsTheRunAgain()
    {
        var outcomes = new SendOutcomes(new DispatchOptions());

        bool[] slowDown =
        [
            outcomes.Counted(Transient, null), outcomes.Counted(Transient, null), outcomes.Counted(new SmsSendResult(SmsSendStatus.Accepted), null),
            outcomes.Counted(Transient, null), outcomes.Counted(Transient, null), outcomes.Counted(Transient, null),
        ];

        Assert.Equal([false, false, false, false, false, true], slowDown);
        Assert.Equal((1, 6), (outcomes.Sent, outcomes.Retried));
    }

    [Fact]
    public void ThrottlingSlowsTheAccountDownButAnOpenCircuitIsNotTheProvidersWord()
    {
        var outcomes = new SendOutcomes(new DispatchOptions());

        Assert.True(outcomes.Counted(new SmsSendResult(SmsSendStatus.Throttled, Code: "429"), null));
        Assert.False(outcomes.Counted(new SmsSendResult(SmsSendStatus.Throttled, Code: AccountSenders.CircuitOpen), null));
        Assert.Equal(1, outcomes.Throttled);
    }

    [Fact]
    public void AFinalNoticeCountsAFailureAndTellsTheBorrowerWhatHappened()
    {
        var outcomes = new SendOutcomes(new DispatchOptions());
        var undeliverable = new DispatchNotice(NoticeKind.Undeliverable, "b-1:1:L0", 1, "21211");

        outcomes.Counted(new SmsSendResult(SmsSendStatus.Permanent, Code: "21211"), undeliverable);

        Assert.Equal((1, 0), (outcomes.Failed, outcomes.Retried));
        Assert.Equal(SendReportKind.Undeliverable, SendOutcomes.ReportOf(undeliverable));
        Assert.Equal(SendReportKind.Accepted, SendOutcomes.ReportOf(undeliverable with { Kind = NoticeKind.Accepted }));
    }

    [Fact]
    public void AThrottledMessageWaitsForTheProvidersRetryAfterAndAnUnansweredOneIsNoAnswer()
    {
        var outcomes = new SendOutcomes(new DispatchOptions());
        var throttled = new SmsSendResult(SmsSendStatus.Throttled, RetryAfter: TimeSpan.FromSeconds(7));

        Assert.Equal(Now + Duration.FromSeconds(7), outcomes.RetryAt(throttled, 1, Now));
        Assert.True(outcomes.RetryAt(Transient, 1, Now) > Now);
        Assert.Equal(SendAttempt.NoAnswer, SendOutcomes.Attempt(new SmsSendResult(SmsSendStatus.Transient, Code: AccountSenders.NoAnswer)));
        Assert.Equal(SendAttempt.Transient, SendOutcomes.Attempt(Transient));
    }
}
