namespace OrleansReminders.Domain.Replies;

/// <summary>What a borrower's inbound message asks for.</summary>
public enum ReplyIntent
{
    /// <summary>Nothing recognised; ops may read it.</summary>
    Unknown,

    /// <summary>"1": confirms receipt.</summary>
    Confirm,

    /// <summary>"2", 分期, 延期, extension, instalment, plan: asks for a plan or more time.</summary>
    PlanRequest,

    /// <summary>已还, paid: says the debt is already paid.</summary>
    ClaimsPaid,

    /// <summary>STOP, TD, 退订 …: ends collection messages on this channel. Always wins.</summary>
    OptOut,

    /// <summary>START, UNSTOP: opts back in.</summary>
    OptIn,

    /// <summary>HELP, INFO, 帮助.</summary>
    Help,

    /// <summary>投诉, complaint, harassment.</summary>
    Complaint,
}
