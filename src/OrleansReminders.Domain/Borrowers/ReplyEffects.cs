using OrleansReminders.Domain.Replies;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// What a classified reply does to a borrower. Every reply resets the unanswered count (see
/// <see cref="LadderProgress.AfterReply"/>); on top of that an opt-out stops everything at once and cancels
/// what is queued, opt-in lifts it, "2" opens a plan offer, claims-paid pauses for verification, and a
/// complaint is flagged for review (which blocks collection) and cancels what is queued.
/// </summary>
public sealed record ReplyEffects(
    bool? OptedOut = null,
    bool OpenPlanOffer = false,
    string? PauseReason = null,
    bool FlagComplaint = false,
    string? CancelQueuedReason = null)
{
    public static ReplyEffects For(ReplyIntent intent) => intent switch
    {
        ReplyIntent.OptOut => new(OptedOut: true, CancelQueuedReason: "opted out"),
        ReplyIntent.OptIn => new(OptedOut: false),
        ReplyIntent.PlanRequest => new(OpenPlanOffer: true),
        ReplyIntent.ClaimsPaid => new(PauseReason: "claims paid: verification"),
        ReplyIntent.Complaint => new(FlagComplaint: true, CancelQueuedReason: "complaint under review"),
        _ => new(),
    };
}
