namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// A snapshot of what one simulated provider has done since it started: sends accepted, throttled and
/// failed (transient or permanent), receipts routed (delivered or not), replies and payments routed, and
/// callbacks the inbound router refused every time they were offered (logged and dropped), and callbacks offered
/// again after a refusal.
/// </summary>
public sealed record SimulatedSmsCounters(
    long Sent,
    long Throttled,
    long Failed,
    long ReceiptsDelivered,
    long ReceiptsFailed,
    long Replies,
    long Payments,
    long CallbackErrors,
    long CallbackRetries = 0);
