using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// One delivery receipt as a provider's webhook reported it, ready for
/// <see cref="Grains.Messaging.IInboundRouter.ReceiptAsync"/>. <see cref="ClientReference"/> is null when
/// the provider did not echo our reference (the receipt cannot be routed by it).
/// </summary>
/// <param name="ClientReference">Our outbox key, echoed by the provider.</param>
/// <param name="Status">The delivery status in our terms.</param>
/// <param name="ProviderCode">The provider's error or status code, when it gave one.</param>
/// <param name="ProviderMessageId">The provider's id of the message (Twilio's MessageSid, Alibaba's biz_id).</param>
/// <param name="At">When the provider says the status was reached; null when it does not say.</param>
/// <param name="PhoneNumber">The destination as the provider reported it (personal data: never log it unmasked).</param>
public sealed record SmsDeliveryReport(
    string? ClientReference,
    DeliveryStatus Status,
    string? ProviderCode,
    string? ProviderMessageId,
    DateTimeOffset? At,
    string? PhoneNumber = null);

/// <summary>
/// One message a borrower sent to us, as a provider's webhook reported it, ready for
/// <see cref="Grains.Messaging.IInboundRouter.ReplyAsync"/> once the sender's number is matched to a borrower.
/// </summary>
/// <param name="ReplyId">The provider's id of the inbound message (the reply's idempotency key).</param>
/// <param name="From">The borrower's number in E.164 (personal data: never log it unmasked).</param>
/// <param name="Text">What the borrower wrote.</param>
/// <param name="At">When the provider received it; null when it does not say.</param>
/// <param name="To">Our number or extension code the borrower wrote to, when the provider says.</param>
public sealed record SmsInboundMessage(string ReplyId, string From, string Text, DateTimeOffset? At, string? To = null);
