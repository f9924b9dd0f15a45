using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// One thing the simulated provider will tell the inbound router about an accepted message, and when:
/// its delivery receipt, a borrower's reply or a borrower's payment. All of a message's callbacks are
/// planned when it is accepted and run in order of <see cref="DueAt"/>, which is also the time they report.
/// </summary>
internal sealed record PlannedCallback(DateTimeOffset DueAt, CallbackKind Kind, string? Text = null, DeliveryStatus Status = DeliveryStatus.Delivered, string? Code = null);

/// <summary>What a <see cref="PlannedCallback"/> reports.</summary>
internal enum CallbackKind
{
    Receipt,
    Reply,
    Payment,
}
