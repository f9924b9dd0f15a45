using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Dispatching;
using OrleansReminders.Grains.Diagnostics;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// What one dispatcher counted (its <see cref="DispatcherStats"/>) and what it learned from the provider's
/// answers: how an answer reads to the <see cref="DispatchQueue{T}"/>, when a message is tried again, what the
/// borrower is told, and when a run of failures slows the account down.
/// </summary>
internal sealed class SendOutcomes(DispatchOptions settings)
{
    /// <summary>Transient failures in a row after which the account is slowed down.</summary>
    public const int TransientSlowDownAfter = 3;

    private readonly Random _jitter = new();
    private int _transientInARow;

    public long Sent { get; private set; }

    public long Retried { get; private set; }

    public long Failed { get; private set; }

    public long Returned { get; private set; }

    public long Throttled { get; private set; }

    public long Doubts { get; private set; }

    /// <summary>The provider's answer as the queue knows it.</summary>
    public static SendAttempt Attempt(SmsSendResult result) => result.Status switch
    {
        SmsSendStatus.Accepted => SendAttempt.Accepted,
        SmsSendStatus.Throttled => SendAttempt.Throttled,
        SmsSendStatus.Permanent => SendAttempt.Permanent,
        _ when result.Code == AccountSenders.NoAnswer => SendAttempt.NoAnswer,
        _ => SendAttempt.Transient,
    };

    /// <summary>When a message that did not go is tried again: after the provider's Retry-After when throttled, else jittered backoff.</summary>
    public Instant RetryAt(SmsSendResult result, int attempts, Instant now) => Attempt(result) == SendAttempt.Throttled
        ? now + Duration.FromTimeSpan(result.RetryAfter ?? TimeSpan.FromSeconds(1))
        : now + Duration.FromTimeSpan(new RetryBackoff(settings.RetryBase, settings.RetryCap).Delay(attempts + 1, _jitter.NextDouble()));

    /// <summary>
    /// Counts a send's outcome; true when the account should slow down (the provider throttled, or failures in a
    /// row — 5xx, timeouts: a provider in trouble, not one unlucky message).
    /// </summary>
    public bool Counted(SmsSendResult result, DispatchNotice? notice)
    {
        Retried += notice is null ? 1 : 0;
        Failed += notice is null || notice.Kind == NoticeKind.Accepted ? 0 : 1;
        switch (result.Status)
        {
            case SmsSendStatus.Accepted:
                Sent++;
                _transientInARow = 0;
                return false;
            case SmsSendStatus.Throttled when result.Code == AccountSenders.CircuitOpen:
                return false;
            case SmsSendStatus.Throttled:
                Throttled++;
                return true;
            case SmsSendStatus.Transient when ++_transientInARow >= TransientSlowDownAfter:
                _transientInARow = 0;
                return true;
            default:
                return false;
        }
    }

    /// <summary>What the borrower is told about a message the queue is done with.</summary>
    public static SendReportKind ReportOf(DispatchNotice notice) => notice.Kind switch
    {
        NoticeKind.Accepted => SendReportKind.Accepted,
        NoticeKind.Undeliverable => SendReportKind.Undeliverable,
        _ => SendReportKind.Failed,
    };

    public void ReturnedOne(string account)
    {
        Returned++;
        ServiceMetrics.Message("returned", account);
    }

    public void GaveUp(string account)
    {
        Failed++;
        Doubt(account, "given-up");
    }

    public void FoundAtProvider() => Sent++;

    /// <summary>A message that may already have been sent: how the doubt was resolved (a metric).</summary>
    public void Doubt(string account, string resolution)
    {
        Doubts++;
        ServiceMetrics.Doubt(account, resolution);
    }
}
