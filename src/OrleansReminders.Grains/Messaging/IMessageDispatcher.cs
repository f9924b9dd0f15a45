using OrleansReminders.Contracts.Dispatching;

namespace OrleansReminders.Grains.Messaging;

/// <summary>
/// Hands a borrower's message to the sending side (the dispatcher pool, next issue). The message key is
/// the idempotency key and goes to the provider as the client reference: dispatching the same key twice
/// (after a crash between "recorded in outbox" and "sent") must not send twice.
/// </summary>
public interface IMessageDispatcher
{
    Task<DispatchResult> DispatchAsync(OutboundMessage message, CancellationToken cancellationToken = default);
}
