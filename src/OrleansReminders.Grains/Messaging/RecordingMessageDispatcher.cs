using System.Collections.Concurrent;
using OrleansReminders.Contracts.Dispatching;

namespace OrleansReminders.Grains.Messaging;

/// <summary>
/// The dispatcher used until the dispatcher pool and SMS providers exist: it sends nothing, records
/// every message it is handed (once per key, so a resend is recognised) and accepts it. Tests read
/// <see cref="Messages"/> to see exactly what the borrower grains asked to send.
/// </summary>
public sealed class RecordingMessageDispatcher : IMessageDispatcher
{
    private readonly ConcurrentDictionary<string, OutboundMessage> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OutboundMessage> _inOrder = new();
    private int _resends;

    /// <summary>Every distinct message, in the order first received.</summary>
    public IReadOnlyCollection<OutboundMessage> Messages => _inOrder;

    /// <summary>How many times a key already seen was handed over again.</summary>
    public int Resends => _resends;

    /// <summary>When set, answers instead of accepting (to simulate backpressure or rejection).</summary>
    public Func<OutboundMessage, DispatchResult?>? Override { get; set; }

    public Task<DispatchResult> DispatchAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        if (Override?.Invoke(message) is { } answer)
        {
            return Task.FromResult(answer);
        }

        if (_byKey.TryAdd(message.MessageKey, message))
        {
            _inOrder.Enqueue(message);
        }
        else
        {
            Interlocked.Increment(ref _resends);
        }

        return Task.FromResult(DispatchResult.Accepted);
    }

    public IEnumerable<OutboundMessage> For(string borrowerId) => _inOrder.Where(m => m.BorrowerId == borrowerId);
}
