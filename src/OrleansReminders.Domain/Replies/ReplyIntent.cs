namespace OrleansReminders.Domain.Replies;

/// <summary>
/// What a borrower's inbound message asks for. The numbers are pinned: new members are appended, existing ones are
/// never renumbered (history records the lower-case name, <c>reply.notpaidyet</c>; anything that stores the number
/// must keep reading old values the same way).
/// </summary>
public enum ReplyIntent
{
    /// <summary>Nothing recognised, or a recognised word that a negation or hedge emptied ("I don't need a plan"); ops may read it.</summary>
    Unknown = 0,

    /// <summary>"1", 收到: confirms receipt.</summary>
    Confirm = 1,

    /// <summary>"2", 分期, 延期, extension, instalment, plan: asks for a plan or more time.</summary>
    PlanRequest = 2,

    /// <summary>已还, 还清, paid: a firm claim that the debt is already paid (a hedged or questioned one is not).</summary>
    ClaimsPaid = 3,

    /// <summary>STOP, TD, 退订, 别发了 …: ends collection messages on this channel. Always wins.</summary>
    OptOut = 4,

    /// <summary>START, UNSTOP: opts back in.</summary>
    OptIn = 5,

    /// <summary>HELP, INFO, 帮助.</summary>
    Help = 6,

    /// <summary>投诉, complaint, harassment.</summary>
    Complaint = 7,

    /// <summary>"not yet", 还没还, 没有还款, "I have not paid": says the debt is not paid (yet). No effect beyond any reply's.</summary>
    NotPaidYet = 8,
}
