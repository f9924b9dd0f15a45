using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>Maps the stored outbox (<see cref="OutboxEntry"/>) to the domain's <see cref="OutboxMessage"/> and back.</summary>
public static class OutboxState
{
    public static OutboxMessage ToMessage(OutboxEntry entry) => new(
        entry.Key,
        Enum.Parse<Channel>(entry.Channel, ignoreCase: true),
        entry.TemplateKey,
        entry.Stage ?? entry.TemplateKey,
        entry.Transactional,
        entry.Urgent,
        entry.CountsAsUnanswered,
        Instant.FromDateTimeOffset(entry.CreatedAt),
        Instant.FromDateTimeOffset(entry.SendBy),
        StatusOf(entry),
        entry.RetryAt is { } notBefore ? Instant.FromDateTimeOffset(notBefore) : null,
        entry.LeaseUntil is { } lease ? Instant.FromDateTimeOffset(lease) : null,
        entry.Attempts,
        entry.MaybeSent,
        entry.ToneVariant);

    public static OutboxEntry ToEntry(OutboxMessage message) => new()
    {
        Key = message.Key,
        Channel = ChannelNames[(int)message.Channel],
        TemplateKey = message.TemplateKey,
        Stage = message.Stage,
        Transactional = message.Transactional,
        Urgent = message.Urgent,
        CountsAsUnanswered = message.CountsAsUnanswered,
        CreatedAt = message.CreatedAt.ToDateTimeOffset(),
        SendBy = message.SendBy.ToDateTimeOffset(),
        Phase = (int)message.Status,
        RetryAt = message.NotBefore?.ToDateTimeOffset(),
        LeaseUntil = message.LeaseUntil?.ToDateTimeOffset(),
        Attempts = message.Offers,
        MaybeSent = message.MaybeSent,
        ToneVariant = message.ToneVariant,
        HandedOver = message.Status != OutboxStatus.Pending,
        Status = DeliveryStatusOf(message.Status),
    };

    private static readonly string[] ChannelNames = [.. Enum.GetValues<Channel>().Select(c => c.ToString().ToLowerInvariant())];

    /// <summary>The status clients see for an outbox status.</summary>
    public static DeliveryStatus DeliveryStatusOf(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending or OutboxStatus.Offered => DeliveryStatus.Queued,
        OutboxStatus.Accepted => DeliveryStatus.Sent,
        OutboxStatus.Delivered => DeliveryStatus.Delivered,
        OutboxStatus.Failed => DeliveryStatus.Failed,
        _ => DeliveryStatus.Undeliverable,
    };

    /// <summary>
    /// State written before the outbox had phases: not handed over is pending; handed over and queued was
    /// with a dispatcher (offered, lease already over, so it is offered again as maybe sent); the rest by status.
    /// </summary>
    private static OutboxStatus StatusOf(OutboxEntry entry) => entry.Phase != 0 ? (OutboxStatus)entry.Phase
        : !entry.HandedOver ? OutboxStatus.Pending
        : entry.Status switch
        {
            DeliveryStatus.Sent => OutboxStatus.Accepted,
            DeliveryStatus.Delivered => OutboxStatus.Delivered,
            DeliveryStatus.Failed => OutboxStatus.Failed,
            DeliveryStatus.Undeliverable => OutboxStatus.Undeliverable,
            _ => OutboxStatus.Offered,
        };
}
