using System.Collections.Concurrent;
using OrleansReminders.Contracts.Dispatching;

namespace OrleansReminders.Grains.Messaging;

/// <summary>
/// A dispatcher and provider in one, for tests and benchmarks: it records every message it is handed (once per
/// key, so a resend is recognised) and answers that it was sent at once (<see cref="DispatchOutcome.AlreadySent"/>),
/// so the borrower records it as accepted in the same call. Messages of borrowers matching <see cref="Hold"/>
/// are recorded and held instead (answered <see cref="DispatchOutcome.Accepted"/>: with the dispatcher, under
/// the borrower's lease), as a real dispatcher does until its report. Tests read <see cref="Messages"/>.
/// </summary>
public sealed class RecordingMessageDispatcher : IMessageDispatcher
{
    private readonly ConcurrentDictionary<string, OutboundMessage> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OutboundMessage> _inOrder = new();
    private readonly ConcurrentDictionary<string, OutboundMessage> _last = new(StringComparer.Ordinal);
    private int _resends;

    /// <summary>Every distinct message, in the order first received.</summary>
    public IReadOnlyCollection<OutboundMessage> Messages => _inOrder;

    /// <summary>How many times a key already seen was handed over again.</summary>
    public int Resends => _resends;

    /// <summary>When set, answers instead of accepting (to simulate backpressure or rejection).</summary>
    public Func<OutboundMessage, DispatchResult?>? Override { get; set; }

    /// <summary>When set, matching messages are recorded and held (not answered as sent).</summary>
    public Func<OutboundMessage, bool>? Hold { get; set; }

    public Task<DispatchResult> DispatchAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        if (Override?.Invoke(message) is { } answer)
        {
            return Task.FromResult(answer);
        }

        _last[message.MessageKey] = message;
        if (_byKey.TryAdd(message.MessageKey, message))
        {
            _inOrder.Enqueue(message);
        }
        else
        {
            Interlocked.Increment(ref _resends);
        }

        return Task.FromResult(Hold?.Invoke(message) == true ? DispatchResult.Accepted : Sent);
    }

    private static readonly DispatchResult Sent = new(DispatchOutcome.AlreadySent);

    /// <summary>The last offer of <paramref name="key"/> handed over (the first is in <see cref="Messages"/>).</summary>
    public OutboundMessage? LastOffer(string key) => _last.TryGetValue(key, out var message) ? message : null;

    public IEnumerable<OutboundMessage> For(string borrowerId) => _inOrder.Where(m => m.BorrowerId == borrowerId);
}
