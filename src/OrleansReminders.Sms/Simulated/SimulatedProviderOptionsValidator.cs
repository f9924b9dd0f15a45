using Microsoft.Extensions.Options;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Replies;

namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// Checks <see cref="SimulatedProviderOptions"/>: a name, rates in [0, 1] (and the rates drawn with one die
/// adding up to at most 1), ranges with Min ≤ Max and no negative delays, a positive rate limit, tier keys
/// that are real risk tiers, and reply texts that the reply classifier reads as the intent they stand for.
/// Every message names the option by its configuration path. Registered with <c>ValidateOnStart</c>, and
/// also run by the sender's constructor.
/// </summary>
public sealed class SimulatedProviderOptionsValidator : IValidateOptions<SimulatedProviderOptions>
{
    private const string Path = SimulatedProviderOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SimulatedProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if any.</summary>
    public static SimulatedProviderOptions EnsureValid(SimulatedProviderOptions options)
    {
        var result = new SimulatedProviderOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(SimulatedProviderOptions), [.. result.Failures ?? []])
            : options;
    }

    private static IEnumerable<string> Problems(SimulatedProviderOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Name))
        {
            yield return $"{Path}:Name must not be empty.";
        }

        foreach (var problem in Rates(o).Concat(Ranges(o)).Concat(Replies(o)).Concat(Tiers(o)))
        {
            yield return problem;
        }

        if (o.MaxRatePerSecond is <= 0)
        {
            yield return $"{Path}:MaxRatePerSecond must be > 0 or absent (was {o.MaxRatePerSecond}).";
        }
    }

    private static IEnumerable<string> Rates(SimulatedProviderOptions o) =>
        new[]
        {
            Rate("FailureRate", o.FailureRate),
            Rate("PermanentFailureRate", o.PermanentFailureRate),
            Rate("ThrottleRate", o.ThrottleRate),
            Rate("DeliveryRate", o.DeliveryRate),
            !IsRate(o.ThrottleRate) || !IsRate(o.FailureRate) || o.ThrottleRate + o.FailureRate <= 1
                ? null
                : $"{Path}:ThrottleRate + {Path}:FailureRate must not exceed 1 (they add up to {o.ThrottleRate + o.FailureRate}).",
        }.OfType<string>();

    private static IEnumerable<string> Ranges(SimulatedProviderOptions o) =>
        new[]
        {
            Range("Latency", o.MinLatency, o.MaxLatency),
            Range("ReceiptDelay", o.MinReceiptDelay, o.MaxReceiptDelay),
            Range("ReplyDelay", o.MinReplyDelay, o.MaxReplyDelay),
            Range("PaymentDelay", o.MinPaymentDelay, o.MaxPaymentDelay),
            o.CallbackAttempts is >= 1 and <= 100 ? null : $"{Path}:CallbackAttempts must be between 1 and 100 (it is {o.CallbackAttempts}).",
            o.CallbackRetryBase > TimeSpan.Zero && o.CallbackRetryBase <= TimeSpan.FromMinutes(1)
                ? null : $"{Path}:CallbackRetryBase must be above zero and at most 00:01:00 (it is {o.CallbackRetryBase}).",
        }.OfType<string>();

    private static IEnumerable<string> Replies(SimulatedProviderOptions o) =>
        new[]
        {
            Reply("ConfirmText", o.ConfirmText, ReplyIntent.Confirm),
            Reply("PlanRequestText", o.PlanRequestText, ReplyIntent.PlanRequest),
            Reply("OptOutText", o.OptOutText, ReplyIntent.OptOut),
        }.OfType<string>();

    private static IEnumerable<string> Tiers(SimulatedProviderOptions o)
    {
        var known = Enum.GetValues<RiskTier>().Select(SimulatedProviderOptions.TierName).ToList();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (tier, borrower) in o.Borrowers ?? [])
        {
            var at = $"{Path}:Borrowers:{tier}";
            if (!seen.Add(tier))
            {
                yield return $"{at} appears twice (tier names are case-insensitive).";
                continue;
            }

            if (!known.Contains(tier, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{at} is not a risk tier (expected one of {string.Join(", ", known)}).";
                continue;
            }

            if (borrower is null)
            {
                yield return $"{at} must not be empty.";
                continue;
            }

            var problems = new[]
            {
                Rate($"Borrowers:{tier}:ConfirmRate", borrower.ConfirmRate),
                Rate($"Borrowers:{tier}:PlanRequestRate", borrower.PlanRequestRate),
                Rate($"Borrowers:{tier}:OptOutRate", borrower.OptOutRate),
                Rate($"Borrowers:{tier}:PaymentRate", borrower.PaymentRate),
            }.OfType<string>();
            foreach (var problem in problems)
            {
                yield return problem;
            }

            var replies = borrower.ConfirmRate + borrower.PlanRequestRate + borrower.OptOutRate;
            if (IsRate(borrower.ConfirmRate) && IsRate(borrower.PlanRequestRate) && IsRate(borrower.OptOutRate) && replies > 1)
            {
                yield return $"{at}: ConfirmRate + PlanRequestRate + OptOutRate must not exceed 1 (they add up to {replies}).";
            }
        }
    }

    // A sum is only checked when its parts are valid rates, so that one bad value gives one message.
    private static bool IsRate(double value) => value is >= 0 and <= 1;

    private static string? Rate(string name, double value) =>
        IsRate(value) ? null : $"{Path}:{name} must be between 0 and 1 (was {value}).";

    private static string? Range(string name, TimeSpan min, TimeSpan max) =>
        min < TimeSpan.Zero ? $"{Path}:Min{name} must not be negative (was {min})."
        : max < min ? $"{Path}:Max{name} must not be less than {Path}:Min{name} ({max} < {min})."
        : null;

    private static string? Reply(string name, string? text, ReplyIntent intent)
    {
        var classified = ReplyClassifier.Classify(text).Intent;
        return classified == intent
            ? null
            : $"{Path}:{name} \"{text}\" must classify as {intent} (the reply classifier reads it as {classified}).";
    }
}
