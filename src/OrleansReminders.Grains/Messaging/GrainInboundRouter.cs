using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;

namespace OrleansReminders.Grains.Messaging;

/// <summary>
/// Routes what providers send back to the borrower grain named in the client reference (the outbox key
/// <c>{borrowerId}:{cycle}:{step}</c>). Grain answers (unknown message, unchanged status) are the grain's
/// business; they are returned, not thrown.
/// </summary>
public sealed class GrainInboundRouter(IGrainFactory grains, Borrowers.PhoneKeyer phones) : IInboundRouter
{
    public async Task ReceiptAsync(string clientReference, DeliveryStatus status, DateTimeOffset at, string? providerCode = null)
    {
        if (BorrowerIdOf(clientReference) is { } borrowerId)
        {
            await grains.GetGrain<IBorrowerGrain>(borrowerId).HandleDeliveryReceiptAsync(new DeliveryReceipt(clientReference, status, at, providerCode));
        }
    }

    public async Task ReplyAsync(string borrowerId, string replyId, string text, DateTimeOffset at, string? clientReference = null) =>
        await grains.GetGrain<IBorrowerGrain>(borrowerId).HandleReplyAsync(new InboundReply(replyId, text, at, clientReference));

    public async Task<bool> ReplyFromAsync(string fromE164, string replyId, string text, DateTimeOffset at)
    {
        if (await grains.GetGrain<IPhoneDirectoryGrain>(phones.KeyFor(fromE164)).FindAsync() is not { } borrowerId)
        {
            return false;
        }

        await ReplyAsync(borrowerId, replyId, text, at);
        return true;
    }

    public async Task SimulatedPaymentAsync(string borrowerId, string paymentId, DateTimeOffset at)
    {
        var borrower = grains.GetGrain<IBorrowerGrain>(borrowerId);
        if (await borrower.GetStatusAsync() is { Outstanding: > 0 } status)
        {
            await borrower.RecordPaymentAsync(new PaymentRecord(paymentId, status.Outstanding, status.Currency, at));
        }
    }

    /// <summary>The borrower id in an outbox key, or null when the reference is not one of ours.</summary>
    public static string? BorrowerIdOf(string clientReference) =>
        MessageKey.TryParse(clientReference, out var key) ? key.BorrowerId : null;
}
