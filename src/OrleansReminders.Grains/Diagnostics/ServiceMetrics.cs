using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansReminders.Grains.Diagnostics;

/// <summary>
/// The service's own instruments (meter <see cref="MeterName"/>): messages by outcome and account, contact
/// policy deferrals by rule, dispatcher queue depth per dispatcher and each account's current send rate.
/// Reminder lag comes from Orleans' own meter (reminder tardiness). Tags never carry personal data.
/// </summary>
public static class ServiceMetrics
{
    public const string MeterName = "OrleansReminders";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("orleansreminders.messages", "{message}",
        "Messages by outcome at the dispatcher: sent, throttled, transient, permanent, returned, deferred");
    private static readonly Counter<long> Deferrals = Meter.CreateCounter<long>("orleansreminders.policy.deferrals", "{deferral}",
        "Ladder steps the contact policy pushed later, by rule (kebab-case reason code, e.g. quiet-hours, calendar-not-covered)");
    private static readonly Counter<long> Doubts = Meter.CreateCounter<long>("orleansreminders.dispatch.doubts", "{message}",
        "Messages a dispatcher held that may already have been sent (a crash or a send without an answer), by how the doubt was resolved: found, not-found, unanswered (asked again later), resent (at least once), given-up (at most once)");
    private static readonly ConcurrentDictionary<string, int> QueueDepths = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, double> Rates = new(StringComparer.Ordinal);

    static ServiceMetrics()
    {
        Meter.CreateObservableGauge("orleansreminders.dispatcher.queue", () =>
            QueueDepths.Select(q => new Measurement<int>(q.Value, new KeyValuePair<string, object?>("dispatcher", q.Key))),
            "{message}", "Messages held by each dispatcher of this silo");
        Meter.CreateObservableGauge("orleansreminders.dispatch.rate", () =>
            Rates.Select(r => new Measurement<double>(r.Value, new KeyValuePair<string, object?>("account", r.Key))),
            "{message}/s", "Current cluster-wide send rate of each provider account whose coordinator runs on this silo");
    }

    public static void Message(string outcome, string account) =>
        Messages.Add(1, new TagList { { "outcome", outcome }, { "account", account } });

    public static void Doubt(string account, string resolution) =>
        Doubts.Add(1, new TagList { { "resolution", resolution }, { "account", account } });

    public static void Deferral(string rule) => Deferrals.Add(1, new KeyValuePair<string, object?>("rule", rule));

    public static void QueueDepth(string dispatcher, int depth) => QueueDepths[dispatcher] = depth;

    public static void DispatcherGone(string dispatcher) => QueueDepths.TryRemove(dispatcher, out _);

    public static void Rate(string account, double perSecond) => Rates[account] = perSecond;

    public static void CoordinatorGone(string account) => Rates.TryRemove(account, out _);
}
