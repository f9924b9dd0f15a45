using System.Collections.Concurrent;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Tests.Simulated;

/// <summary>
/// An <see cref="IInboundRouter"/> that records every receipt, reply and payment it is given, and can be
/// told to throw for some of them (to prove that the provider survives a failing router).
/// </summary>
internal sealed class RecordingInboundRouter : IInboundRouter
{
    private readonly ConcurrentQueue<Inbound> _events = new();

    /// <summary>Calls for which this returns true throw instead of being recorded.</summary>
    public Func<Inbound, bool> FailWhen { get; set; } = _ => false;

    public IReadOnlyList<Inbound> Events => [.. _events];

    public IReadOnlyList<Inbound> Receipts => [.. _events.Where(e => e.Kind == InboundKind.Receipt)];

    public IReadOnlyList<Inbound> Replies => [.. _events.Where(e => e.Kind == InboundKind.Reply)];

    public IReadOnlyList<Inbound> Payments => [.. _events.Where(e => e.Kind == InboundKind.Payment)];

    public Task ReceiptAsync(string clientReference, DeliveryStatus status, DateTimeOffset at, string? providerCode = null) =>
        Record(new Inbound(InboundKind.Receipt, clientReference, null, null, at, status, providerCode));

    public Task ReplyAsync(string borrowerId, string replyId, string text, DateTimeOffset at, string? clientReference = null) =>
        Record(new Inbound(InboundKind.Reply, clientReference, borrowerId, replyId, at, Text: text));

    /// <summary>The simulated provider never routes by number; a call here is a bug.</summary>
    public Task<bool> ReplyFromAsync(string fromE164, string replyId, string text, DateTimeOffset at) =>
        throw new InvalidOperationException("the simulated provider routes replies by borrower id");

    public Task SimulatedPaymentAsync(string borrowerId, string paymentId, DateTimeOffset at) =>
        Record(new Inbound(InboundKind.Payment, null, borrowerId, paymentId, at));

    private Task Record(Inbound inbound)
    {
        if (FailWhen(inbound))
        {
            return Task.FromException(new InvalidOperationException($"router refuses {inbound.Kind}"));
        }

        _events.Enqueue(inbound);
        return Task.CompletedTask;
    }
}

internal enum InboundKind
{
    Receipt,
    Reply,
    Payment,
}

/// <summary>One call the router received.</summary>
internal sealed record Inbound(
    InboundKind Kind,
    string? ClientReference,
    string? BorrowerId,
    string? Id,
    DateTimeOffset At,
    DeliveryStatus? Status = null,
    string? Code = null,
    string? Text = null);
