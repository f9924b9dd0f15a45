namespace OrleansReminders.Domain.Common;

/// <summary>How a borrower is contacted. Caps and policies are kept per channel.</summary>
public enum Channel
{
    Sms,
    Email,
    /// <summary>A phone-call task for an agent; "connected" calls count separately from attempts.</summary>
    Call,
    /// <summary>Hand-off to a specialist team or collection agency.</summary>
    Agency,
}
