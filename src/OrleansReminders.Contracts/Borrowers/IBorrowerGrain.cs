using Orleans.Concurrency;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Contracts.Borrowers;

/// <summary>One borrower (key: borrower id, at most 64 characters): profile, debt, tier, ladder, outbox.</summary>
[Alias("OrleansReminders.IBorrowerGrain")]
public interface IBorrowerGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces profile and debts; idempotent; a rejected upsert changes nothing.</summary>
    [Alias("Upsert")]
    Task<CommandResult> UpsertAsync(BorrowerUpsert upsert);

    /// <summary>Records a payment: in full resolves the borrower (thank-you, ladder stops); partial re-plans.</summary>
    [Alias("RecordPayment")]
    Task<CommandResult> RecordPaymentAsync(PaymentRecord payment);

    /// <summary>Records a promise to pay or an agreed plan: the ladder is suspended until its date.</summary>
    [Alias("RecordPromise")]
    Task<CommandResult> RecordPromiseAsync(PromiseRecord promise);

    /// <summary>Pauses all collection messages (dispute, legal hold, …) until resumed.</summary>
    [Alias("Pause")]
    Task<CommandResult> PauseAsync(OpsAction action);

    /// <summary>Resumes a paused borrower.</summary>
    [Alias("Resume")]
    Task<CommandResult> ResumeAsync(OpsAction action);

    /// <summary>Ops moves the borrower to an escalation level (0 = SMS ladder); the ladder continues from there.</summary>
    [Alias("ReassignEscalation")]
    Task<CommandResult> ReassignEscalationAsync(EscalationReassignment reassignment);

    /// <summary>The borrower's current status, answered from memory; null when the borrower is unknown.</summary>
    [Alias("GetStatus"), ReadOnly]
    Task<BorrowerStatus?> GetStatusAsync();

    /// <summary>A delivery receipt for one of this borrower's messages; statuses only move forward.</summary>
    [Alias("HandleDeliveryReceipt")]
    Task<CommandResult> HandleDeliveryReceiptAsync(DeliveryReceipt receipt);

    /// <summary>An inbound reply: classified into an intent and acted on (an opt-out stops everything at once).</summary>
    [Alias("HandleReply")]
    Task<CommandResult> HandleReplyAsync(InboundReply reply);

    /// <summary>A dispatcher's report on one offer of a message: accepted by the provider, failed, or returned unsent.</summary>
    [Alias("ReportSend")]
    Task<CommandResult> ReportSendAsync(SendReport report);

    /// <summary>Re-plans now, as a reminder tick does: sends what is due; returns when the next action is due.</summary>
    [Alias("Wake")]
    Task<DateTimeOffset?> WakeAsync();

    /// <summary>The recent history window kept in the grain (the full history is in contact_events).</summary>
    [Alias("GetRecentHistory"), ReadOnly]
    Task<ContactEventPage> GetRecentHistoryAsync();
}
