using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Grains.Messaging;

/// <summary>
/// Where what comes back from a provider goes: delivery receipts and replies (from webhooks or the
/// simulated provider), routed to the borrower grain by the message's client reference.
/// </summary>
public interface IInboundRouter
{
    /// <summary>A delivery receipt for the message with this client reference (the borrower's outbox key).</summary>
    Task ReceiptAsync(string clientReference, DeliveryStatus status, DateTimeOffset at, string? providerCode = null);

    /// <summary>A borrower's reply; <paramref name="clientReference"/> is the message it answers, when the provider knows it.</summary>
    Task ReplyAsync(string borrowerId, string replyId, string text, DateTimeOffset at, string? clientReference = null);

    /// <summary>A reply that carries only the sender's number: routed to the borrower the number belongs to. False when none does.</summary>
    Task<bool> ReplyFromAsync(string fromE164, string replyId, string text, DateTimeOffset at);

    /// <summary>The simulated provider's borrower paid what is outstanding (demo and load tests only).</summary>
    Task SimulatedPaymentAsync(string borrowerId, string paymentId, DateTimeOffset at);
}
