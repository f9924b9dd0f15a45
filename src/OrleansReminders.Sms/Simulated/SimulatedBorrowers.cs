using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// The simulated borrowers: what the borrower behind a delivered, non-transactional message does, by the
/// message's tier. Drawn from (seed, client reference) only, so the same message always meets the same
/// reaction whatever the order of sends, and a duplicate reply or payment carries the same id.
/// </summary>
internal static class SimulatedBorrowers
{
    /// <summary>Id of the simulated reply to a message.</summary>
    public static string ReplyId(string clientReference) => "sim-reply-" + clientReference;

    /// <summary>Id of the simulated payment after a message.</summary>
    public static string PaymentId(string clientReference) => "sim-pay-" + clientReference;

    /// <summary>The borrower's reply and payment after delivery at <paramref name="deliveredAt"/>, if any.</summary>
    public static IEnumerable<PlannedCallback> React(
        SimulatedProviderOptions options,
        IReadOnlyDictionary<string, SimulatedBorrowerOptions> borrowers,
        int seed,
        SmsMessage message,
        DateTimeOffset deliveredAt)
    {
        if (message.Transactional || !borrowers.TryGetValue(message.Tier, out var borrower))
        {
            yield break;
        }

        var random = new DerivedRandom(seed, "borrower", message.ClientReference);
        var replyDraw = random.NextDouble();
        var replyDelay = random.Between(options.MinReplyDelay, options.MaxReplyDelay);
        var payDraw = random.NextDouble();
        var payDelay = random.Between(options.MinPaymentDelay, options.MaxPaymentDelay);

        var reply = replyDraw < borrower.ConfirmRate ? options.ConfirmText
            : replyDraw < borrower.ConfirmRate + borrower.PlanRequestRate ? options.PlanRequestText
            : replyDraw < borrower.ConfirmRate + borrower.PlanRequestRate + borrower.OptOutRate ? options.OptOutText
            : null;
        if (reply is not null)
        {
            yield return new PlannedCallback(deliveredAt + replyDelay, CallbackKind.Reply, reply);
        }

        if (payDraw < borrower.PaymentRate)
        {
            yield return new PlannedCallback(deliveredAt + payDelay, CallbackKind.Payment);
        }
    }
}
