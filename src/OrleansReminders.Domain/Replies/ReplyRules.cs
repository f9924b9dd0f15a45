namespace OrleansReminders.Domain.Replies;

/// <summary>
/// The default reply rule table and the precedence of intents.
/// <para>Precedence (first wins when a message matches several intents): OptOut, Complaint, OptIn,
/// ClaimsPaid, PlanRequest, Help, Confirm. Opting out must never be lost ("已还 退订", "Stop. Thank you"),
/// complaints need a human before any further contact, and only then come the business intents.
/// Within one intent, table order decides which rule is reported.</para>
/// <para>Strong opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, TD, 退订, 取消订阅) match anywhere as words or
/// text; ambiguous ones (CANCEL, END, QUIT, T) only as the whole message, so "cancel my plan" or a stray "t"
/// inside a sentence do not opt out. "1" and "2" match only as the whole message.</para>
/// </summary>
public static class ReplyRules
{
    /// <summary>Intents in order of precedence.</summary>
    public static IReadOnlyList<ReplyIntent> Precedence { get; } =
    [
        ReplyIntent.OptOut,
        ReplyIntent.Complaint,
        ReplyIntent.OptIn,
        ReplyIntent.ClaimsPaid,
        ReplyIntent.PlanRequest,
        ReplyIntent.Help,
        ReplyIntent.Confirm,
    ];

    /// <summary>The shipped rule table.</summary>
    public static IReadOnlyList<ReplyRule> Default { get; } =
    [
        new("optout.stop", ReplyIntent.OptOut, ReplyMatchKind.Word, "STOP"),
        new("optout.stopall", ReplyIntent.OptOut, ReplyMatchKind.Word, "STOPALL"),
        new("optout.unsubscribe", ReplyIntent.OptOut, ReplyMatchKind.Word, "UNSUBSCRIBE"),
        new("optout.td", ReplyIntent.OptOut, ReplyMatchKind.Word, "TD"),
        new("optout.tuiding", ReplyIntent.OptOut, ReplyMatchKind.Contains, "退订"),
        new("optout.quxiaodingyue", ReplyIntent.OptOut, ReplyMatchKind.Contains, "取消订阅"),
        new("optout.cancel", ReplyIntent.OptOut, ReplyMatchKind.Whole, "CANCEL"),
        new("optout.end", ReplyIntent.OptOut, ReplyMatchKind.Whole, "END"),
        new("optout.quit", ReplyIntent.OptOut, ReplyMatchKind.Whole, "QUIT"),
        new("optout.t", ReplyIntent.OptOut, ReplyMatchKind.Whole, "T"),
        new("complaint.tousu", ReplyIntent.Complaint, ReplyMatchKind.Contains, "投诉"),
        new("complaint.jubao", ReplyIntent.Complaint, ReplyMatchKind.Contains, "举报"),
        new("complaint.saorao", ReplyIntent.Complaint, ReplyMatchKind.Contains, "骚扰"),
        new("complaint.complain", ReplyIntent.Complaint, ReplyMatchKind.WordPrefix, "COMPLAIN"),
        new("complaint.harass", ReplyIntent.Complaint, ReplyMatchKind.WordPrefix, "HARASS"),
        new("optin.start", ReplyIntent.OptIn, ReplyMatchKind.Word, "START"),
        new("optin.unstop", ReplyIntent.OptIn, ReplyMatchKind.Word, "UNSTOP"),
        new("paid.yihuan", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "已还"),
        new("paid.yijinghuan", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "已经还"),
        new("paid.huanqing", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "还清"),
        new("paid.already", ReplyIntent.ClaimsPaid, ReplyMatchKind.Word, "ALREADY PAID"),
        new("paid.paid", ReplyIntent.ClaimsPaid, ReplyMatchKind.Word, "PAID"),
        new("plan.2", ReplyIntent.PlanRequest, ReplyMatchKind.Whole, "2"),
        new("plan.fenqi", ReplyIntent.PlanRequest, ReplyMatchKind.Contains, "分期"),
        new("plan.yanqi", ReplyIntent.PlanRequest, ReplyMatchKind.Contains, "延期"),
        new("plan.zhanqi", ReplyIntent.PlanRequest, ReplyMatchKind.Contains, "展期"),
        new("plan.extension", ReplyIntent.PlanRequest, ReplyMatchKind.WordPrefix, "EXTEN"),
        new("plan.instalment", ReplyIntent.PlanRequest, ReplyMatchKind.WordPrefix, "INSTAL"),
        new("plan.plan", ReplyIntent.PlanRequest, ReplyMatchKind.Word, "PLAN"),
        new("plan.plans", ReplyIntent.PlanRequest, ReplyMatchKind.Word, "PLANS"),
        new("help.help", ReplyIntent.Help, ReplyMatchKind.Word, "HELP"),
        new("help.info", ReplyIntent.Help, ReplyMatchKind.Word, "INFO"),
        new("help.bangzhu", ReplyIntent.Help, ReplyMatchKind.Contains, "帮助"),
        new("confirm.1", ReplyIntent.Confirm, ReplyMatchKind.Whole, "1"),
        new("confirm.shoudao", ReplyIntent.Confirm, ReplyMatchKind.Contains, "收到"),
    ];
}
