using System.Collections.Concurrent;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Tests.Dispatching;

/// <summary>A provider account that records when each message reached it (real time) and answers as told.</summary>
public sealed class StampingSender(string name) : ISmsSender
{
    private readonly ConcurrentQueue<(string Key, DateTimeOffset At)> _sends = new();

    public string Name { get; } = name;

    /// <summary>When set, answers instead of accepting.</summary>
    public Func<SmsMessage, SmsSendResult?>? Answer { get; set; }

    public IReadOnlyCollection<(string Key, DateTimeOffset At)> Sends => _sends;

    /// <summary>The text each message was sent with, by client reference.</summary>
    public ConcurrentDictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        _sends.Enqueue((message.ClientReference, DateTimeOffset.UtcNow));
        Texts[message.ClientReference] = message.Text;
        return Task.FromResult(Answer?.Invoke(message) ?? SmsSendResult.Accepted("stub-" + message.ClientReference));
    }

    public void Clear() => _sends.Clear();

    /// <summary>The most sends inside any one-second window.</summary>
    public static int MaxInAnySecond(IEnumerable<DateTimeOffset> times)
    {
        var sorted = times.Order().ToList();
        var max = 0;
        for (int i = 0, j = 0; i < sorted.Count; i++)
        {
            while (sorted[i] - sorted[j] >= TimeSpan.FromSeconds(1))
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }
}
