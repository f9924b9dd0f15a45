namespace OrleansReminders.Grains.Messaging;

/// <summary>
/// One SMS provider account, as the dispatcher grains see it (port; adapters live in OrleansReminders.Sms).
/// Implementations never throw for a provider's answer: every outcome is an <see cref="SmsSendResult"/>;
/// exceptions mean the call itself failed (network, timeout) and are treated as transient.
/// </summary>
public interface ISmsSender
{
    /// <summary>The account's name in configuration (also in logs and metrics).</summary>
    string Name { get; }

    /// <summary>Sends one message. The client reference is the idempotency key: a provider that supports it dedupes on it.</summary>
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// A provider account that can say whether it accepted a message, by client reference. A dispatcher that
/// holds a message which may already have been sent (a crash between the provider accepting it and that
/// being recorded) asks before sending; accounts without it follow <c>Dispatch:OnDoubt</c>.
/// </summary>
public interface ISmsLookup
{
    /// <summary>True when the account accepted a message with this client reference; false when it did not; null when it cannot tell now.</summary>
    Task<bool?> WasAcceptedAsync(string clientReference, CancellationToken cancellationToken = default);
}

/// <summary>A message ready for a provider.</summary>
/// <param name="ClientReference">The borrower's outbox key; comes back on receipts and lets a resend be recognised.</param>
/// <param name="BorrowerId">Whose message it is.</param>
/// <param name="To">Destination in E.164.</param>
/// <param name="Text">Rendered text (providers that send by template code use <paramref name="TemplateKey"/> and <paramref name="Parameters"/>).</param>
/// <param name="TemplateKey">The template the text came from.</param>
/// <param name="Parameters">The values the template was rendered with.</param>
/// <param name="ValidUntil">End of the allowed window: the provider must not deliver after it (validity period).</param>
/// <param name="Transactional">A reply confirmation, opt-out confirmation or thank-you rather than a collection reminder.</param>
/// <param name="Tier">The borrower's risk tier (the simulated provider's borrowers behave by tier).</param>
public sealed record SmsMessage(
    string ClientReference,
    string BorrowerId,
    string To,
    string Text,
    string TemplateKey,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset ValidUntil,
    bool Transactional,
    string Tier);

public enum SmsSendStatus
{
    /// <summary>The provider took the message (a receipt follows later).</summary>
    Accepted,

    /// <summary>The provider asks us to slow down (HTTP 429 or its throttling code): retry later, send slower.</summary>
    Throttled,

    /// <summary>A provider-side or network failure that may pass (5xx, timeout): retry with backoff, maybe on the secondary.</summary>
    Transient,

    /// <summary>The provider refused this message for good (bad number, blocked content): do not retry.</summary>
    Permanent,
}

/// <summary>A provider's answer to one send.</summary>
public sealed record SmsSendResult(
    SmsSendStatus Status,
    string? ProviderMessageId = null,
    string? Code = null,
    string? Detail = null,
    TimeSpan? RetryAfter = null)
{
    public static SmsSendResult Accepted(string providerMessageId) => new(SmsSendStatus.Accepted, providerMessageId);
}
