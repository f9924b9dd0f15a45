namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// A snapshot of what one simulated provider has done since it started: sends accepted, throttled and
/// failed (transient or permanent), receipts routed (delivered or not), replies and payments routed, and
/// callbacks the inbound router refused (logged and dropped).
/// </summary>
public sealed record SimulatedSmsCounters(
    long Sent,
    long Throttled,
    long Failed,
    long ReceiptsDelivered,
    long ReceiptsFailed,
    long Replies,
    long Payments,
    long CallbackErrors);
