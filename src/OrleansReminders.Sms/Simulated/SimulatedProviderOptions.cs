using OrleansReminders.Domain.Common;

namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// Settings of the simulated SMS provider (the service's default provider, used by demos and load tests):
/// how long a send takes, how often it is throttled or fails, when and how delivery receipts come back, and
/// how the simulated borrowers of each tier reply and pay. Every range is uniform between its Min and Max;
/// every rate is a probability in [0, 1]. Validated by <see cref="SimulatedProviderOptionsValidator"/>.
/// </summary>
public sealed class SimulatedProviderOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Sms:Simulated";

    /// <summary>The account's name (logs, metrics, provider message ids).</summary>
    public string Name { get; set; } = "simulated";

    /// <summary>Shortest time a send takes (the provider's round trip).</summary>
    public TimeSpan MinLatency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Longest time a send takes.</summary>
    public TimeSpan MaxLatency { get; set; } = TimeSpan.FromMilliseconds(120);

    /// <summary>Probability that a send fails with a transient error (as a provider's 5xx).</summary>
    public double FailureRate { get; set; } = 0.01;

    /// <summary>
    /// Share of destination numbers the provider rejects for good (invalid numbers). A property of the
    /// number, not of the attempt: the same number is rejected on every send.
    /// </summary>
    public double PermanentFailureRate { get; set; } = 0.005;

    /// <summary>Probability that a send is answered Throttled at random (a provider's own congestion).</summary>
    public double ThrottleRate { get; set; }

    /// <summary>
    /// The account's own rate limit: sends beyond this many within one second of the clock are answered
    /// Throttled. Null: no limit.
    /// </summary>
    public int? MaxRatePerSecond { get; set; }

    /// <summary>Shortest time from an accepted send to its delivery receipt.</summary>
    public TimeSpan MinReceiptDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time from an accepted send to its delivery receipt.</summary>
    public TimeSpan MaxReceiptDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Probability that an accepted message is delivered (otherwise its receipt says Failed or Undeliverable).</summary>
    public double DeliveryRate { get; set; } = 0.97;

    /// <summary>Shortest time from delivery to a simulated borrower's reply.</summary>
    public TimeSpan MinReplyDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest time from delivery to a simulated borrower's reply.</summary>
    public TimeSpan MaxReplyDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Shortest time from delivery to a simulated borrower's payment.</summary>
    public TimeSpan MinPaymentDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Longest time from delivery to a simulated borrower's payment.</summary>
    public TimeSpan MaxPaymentDelay { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// How many times a receipt, reply or payment is offered to the service before it is dropped: like a real
    /// provider retrying a webhook that did not answer 2xx, a callback the service could not take (storage or a
    /// silo down) is offered again, after <see cref="CallbackRetryBase"/> real time, doubling up to 30 s. The
    /// service's handlers are idempotent (receipts only move forward, replies and payments carry their ids).
    /// </summary>
    public int CallbackAttempts { get; set; } = 12;

    /// <summary>
    /// When set, every accepted send is appended to <c>{JournalPath}.{process id}</c> as one line, the real time
    /// in Unix milliseconds and the client reference: the fault driver (deploy/local/faults.sh) counts keys sent
    /// twice and seconds without sending across the silos from these files. Unset (the default): no journal.
    /// </summary>
    public string? JournalPath { get; set; }

    /// <summary>The first wait before a callback is offered again (real time).</summary>
    public TimeSpan CallbackRetryBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What a confirming borrower replies; must classify as a confirmation.</summary>
    public string ConfirmText { get; set; } = "1";

    /// <summary>What a borrower asking for a plan replies; must classify as a plan request.</summary>
    public string PlanRequestText { get; set; } = "2";

    /// <summary>What an opting-out borrower replies; must classify as an opt-out.</summary>
    public string OptOutText { get; set; } = "TD";

    /// <summary>
    /// Seed of every random draw, so that a run can be repeated. Null: a random seed, logged at start-up.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Borrower behaviour per risk tier, keyed by the tier's lower-case name (low, medium, high). A message
    /// whose tier has no entry gets no simulated reply or payment.
    /// </summary>
    public Dictionary<string, SimulatedBorrowerOptions> Borrowers { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [TierName(RiskTier.Low)] = new() { ConfirmRate = 0.25, PlanRequestRate = 0.05, OptOutRate = 0.01, PaymentRate = 0.45 },
        [TierName(RiskTier.Medium)] = new() { ConfirmRate = 0.15, PlanRequestRate = 0.10, OptOutRate = 0.02, PaymentRate = 0.25 },
        [TierName(RiskTier.High)] = new() { ConfirmRate = 0.08, PlanRequestRate = 0.12, OptOutRate = 0.04, PaymentRate = 0.10 },
    };

    /// <summary>The key of a tier in <see cref="Borrowers"/>.</summary>
    public static string TierName(RiskTier tier) => tier.ToString().ToLowerInvariant();
}
