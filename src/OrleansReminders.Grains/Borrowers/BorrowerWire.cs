using Microsoft.Extensions.Logging;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Tiering;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>Turns a borrower's file and events into what crosses the wire: its status, its outbound messages, its history.</summary>
internal static partial class BorrowerWire
{
    public static BorrowerStatus ToStatus(string id, BorrowerFile file, TierAssessment assessment, ImmutableArray<ContactEvent> recent) => new(
        id,
        assessment.EffectiveTier.ToString().ToLowerInvariant(),
        assessment.Score,
        [.. assessment.Contributions.Select(c => new TierFactor(c.Factor, c.RawValue, c.Points))],
        assessment.Override is { } o ? $"{o.Tier.ToString().ToLowerInvariant()} by {o.Operator}: {o.Reason}" : null,
        Stage(file),
        file.Ladder.LastStepIndex,
        file.Ladder.EscalationsDone,
        file.NextAction,
        file.NextActionAt?.ToDateTimeOffset(),
        file.Debts.Sum(d => d.Outstanding),
        file.Debts.FirstOrDefault()?.Currency ?? "",
        [.. Flags(file.Consent)],
        file.Ladder.SuspendedUntil?.ToDateOnly(),
        new StatusCounts(file.Counts.Sent, file.Counts.Delivered, file.Counts.Failed, file.Counts.Replies, file.Ladder.ConsecutiveUnanswered),
        [.. recent.TakeLast(10)],
        file.Outbox.Count(m => m.Unsent));

    /// <summary>The case, told where its reminder's ticks really fall (<see cref="BorrowerCase.Ticked"/>).</summary>
    public static BorrowerCase Ticked(BorrowerCase borrower, TickStatus status)
    {
        borrower.Ticked(Instant.FromDateTimeUtc(DateTime.SpecifyKind(status.FirstTickTime, DateTimeKind.Utc)), Duration.FromTimeSpan(status.Period));
        return borrower;
    }

    public static OutboundMessage ToOutbound(string id, OutboxMessage m, BorrowerCase borrower, Domain.Common.RiskTier tier, Instant now)
    {
        var profile = borrower.Profile;
        var values = borrower.MessageDebt(now) is var (debt, overdue)
            ? new MessageValues(profile.Name ?? "", debt.Outstanding, debt.Currency, debt.DueDate.ToDateOnly(), overdue)
            : null;
        return new OutboundMessage(m.Key, id, m.Channel.ToWire(), m.TemplateKey, tier.ToWire(), profile.Locale, m.Transactional, m.Urgent,
            m.SendBy.ToDateTimeOffset(), m.ToneVariant, profile.PhoneE164, values, m.Offers, m.MaybeSent);
    }

    /// <summary>
    /// Hands each offered message to the dispatcher pool and tells the case its answer. A call that fails leaves
    /// its message offered: the lease brings it back.
    /// </summary>
    public static async Task HandOverAsync(IMessageDispatcher dispatcher, ILogger logger, string id, BorrowerCase next,
        IReadOnlyList<OutboxMessage> offered, Domain.Common.RiskTier tier, Instant now)
    {
        foreach (var message in offered)
        {
            try
            {
                Answer(next, message, await dispatcher.DispatchAsync(ToOutbound(id, message, next, tier, now)), now);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHandOverFailed(logger, ex, id, message.Key);
            }
        }
    }

    /// <summary>The dispatcher's answer to a hand-over, told to the case.</summary>
    public static void Answer(BorrowerCase next, OutboxMessage message, DispatchResult result, Instant now)
    {
        HandOverAnswer? answer = result.Outcome switch
        {
            DispatchOutcome.Accepted => HandOverAnswer.Queued,
            DispatchOutcome.AlreadySent => HandOverAnswer.AlreadyAccepted,
            DispatchOutcome.Deferred => HandOverAnswer.Deferred,
            _ => null,
        };
        if (answer is { } taken)
        {
            next.HandedOver(message, taken, result.RetryAt is { } at ? Instant.FromDateTimeOffset(at) : null, result.Reason, now);
        }
        else
        {
            next.HandOverRefused(message, result.Reason);
        }
    }

    /// <summary>A dispatcher's report, told to the case.</summary>
    public static Verdict Report(BorrowerCase borrower, SendReport report, Instant now) => report.Kind switch
    {
        SendReportKind.Accepted => borrower.Accepted(report.MessageKey, now),
        SendReportKind.Returned => borrower.Returned(report.MessageKey, report.Offer, report.MaybeSent, report.Reason, now),
        SendReportKind.Undeliverable => borrower.GaveUp(report.MessageKey, report.Offer, SendOutcome.Undeliverable, report.Reason),
        _ => borrower.GaveUp(report.MessageKey, report.Offer, SendOutcome.Failed, report.Reason),
    };

    /// <summary>A receipt's status as a send outcome; null for one that settles nothing.</summary>
    public static SendOutcome? OutcomeOf(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => SendOutcome.Delivered,
        DeliveryStatus.Failed => SendOutcome.Failed,
        DeliveryStatus.Undeliverable => SendOutcome.Undeliverable,
        _ => null,
    };

    /// <summary>
    /// A recorded event as history, at microsecond precision (the store's). A message's event gets an id derived
    /// from its key and data, so a redispatch after a crash records the same event again (and the table ignores
    /// it); every other event is new by nature.
    /// </summary>
    public static ContactEvent ToContactEvent(string id, CaseEvent e)
    {
        var at = e.At.ToDateTimeOffset();
        var data = e.Data.IsDefaultOrEmpty ? [] : e.Data;
        var eventId = data.Any(d => d.Key == "messageKey")
            ? new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"{id}|{e.Kind}|{string.Join("|", data.Select(d => d.Key + "=" + d.Value))}")))
            : Guid.NewGuid();
        return new ContactEvent(eventId, id, new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero), e.Kind, e.Actor, e.Channel, e.Stage, e.Reason,
            data.Length == 0 ? null : data.ToImmutableDictionary(d => d.Key, d => d.Value));
    }

    private static string Stage(BorrowerFile file) => file switch
    {
        { Resolved: true } => "resolved",
        { Consent.OptedOut: true } => "opted-out",
        { Consent.Paused: true } => "paused",
        { Ladder.EscalationsDone: > 0 } => $"escalation-{file.Ladder.EscalationsDone}",
        { Ladder.SuspendedUntil: not null } => $"suspended ({file.SuspensionKind})",
        { Ladder.LastStepIndex: < 0 } => "not-started",
        _ => $"ladder-step-{file.Ladder.LastStepIndex}",
    };

    private static IEnumerable<string> Flags(Consent c)
    {
        (bool On, string Name)[] flags =
        [
            (c.OptedOut, "opted-out"), (c.Dispute, "dispute"), (c.Complaint, "complaint"), (c.LegalHold, "legal-hold"),
            (c.Deceased, "deceased"), (c.Bankruptcy, "bankruptcy"), (c.Paused, "paused"), (c.PlanOfferOpen, "plan-offer-open"),
        ];
        return flags.Where(f => f.On).Select(f => f.Name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: handing over {MessageKey} failed; its lease brings it back")]
    private static partial void LogHandOverFailed(ILogger logger, Exception exception, string borrowerId, string messageKey);
}
