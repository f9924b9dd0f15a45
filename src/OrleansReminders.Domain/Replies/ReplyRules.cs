namespace OrleansReminders.Domain.Replies;

/// <summary>
/// The default reply rule table and the precedence of intents.
/// <para>Precedence (first wins when a message matches several intents): OptOut, Complaint, OptIn, ClaimsPaid,
/// PlanRequest, Help, NotPaidYet, Confirm, and Unknown last. Opting out must never be lost ("已还 退订",
/// "Stop. Thank you"), complaints need a human before any further contact, and only then come the business
/// intents; "还没还，能分期吗" is a plan request. Within one intent a plain match beats a negated or hedged one,
/// then table order decides which rule is reported.</para>
/// <para>Strong opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, TD, 退订, 取消订阅) match anywhere as words or
/// text; ambiguous ones (CANCEL, END, QUIT, T, 取消) only as the whole message, so "cancel my order", 取消分期 or a
/// stray "t" inside a sentence do not opt out. "1" and "2" match only as the whole message. A bare 取消 is an
/// opt-out, not Unknown: it is the Chinese CANCEL (a standard opt-out reply), in answer to a collection message
/// there is nothing else to cancel, and doubt resolves toward opt-out.</para>
/// <para><b>Negation.</b> A match is negated when a negation (NOT, NEVER, N'T forms, NOT YET, YET TO; 没, 没有, 还没,
/// 未, 不, 不是, 别, 不要 …; NO only right before the word, so "No I paid" stays a claim) stands among the
/// <see cref="ReplyClassifier.Window"/> words or Chinese characters before it, in the same clause (, . ; : ! ? 。 、
/// end a clause: "No, I paid" and "不，已经还了" are claims), with no BUT, 但是, 不过 and no earlier match in
/// between (没还款分期 negates 还款, not 分期). Phrases such as 对不起, 不好意思, 没问题, 别担心, "don't worry",
/// "never mind" negate nothing. A negated match never counts as its positive intent; it becomes the intent's
/// <see cref="ReplyMatchKind.Negated"/> row: paid.negated → NotPaidYet ("I have not paid", "haven't paid yet",
/// 没还清), plan.negated, confirm.negated (没收到), help.negated and complaint.negated (我没有投诉, "I'm not
/// complaining") → Unknown for ops to read. A negated question is rhetorical and keeps its intent (这不是骚扰吗,
/// 不能分期吗). Negation is found in the text itself by the NotPaidYet rules ("not yet", 还没还, 没有还款).</para>
/// <para><b>Hedges.</b> A paid claim that is hedged (MAYBE, I THINK, PROBABLY, NOT SURE, DON'T REMEMBER, IF; 好像,
/// 应该, 可能, 也许, 不记得, 是不是, 有没有) or questioned (吗, 嘛, 吧 right after: 已经还了吗) is not a firm claim:
/// paid.hedged → Unknown, so it does not pause collection but shows in the ops inbox with its rule. Other intents
/// ignore hedges ("maybe stop" opts out, 能不能延期 asks for a plan).</para>
/// <para><b>The opt-out exception.</b> Where a reply might be an opt-out, doubt resolves toward opt-out: a missed
/// opt-out costs more than a wrong one. So a negated opt-out keyword stays an opt-out (optout.negated: "don't stop",
/// 不要退订 — "don't stop [texting]" or "don't [text], stop"? we cannot tell), a negated opt-in is an opt-out
/// (optin.negated: "don't start"), and prohibitions of contact are opt-outs although they hold a negation
/// (<see cref="ReplyMatchKind.Prohibited"/>: 别发了, 不要再给我发, 不用发了, 别联系我, 别打扰, 别骚扰我, 勿扰,
/// "don't text me", "do not contact me", "no more messages", "don't harass me" — the last two like "stop harassing me").</para>
/// </summary>
public static class ReplyRules
{
    /// <summary>Intents in order of precedence; <see cref="ReplyIntent.Unknown"/> comes after all of them.</summary>
    public static IReadOnlyList<ReplyIntent> Precedence { get; } =
    [
        ReplyIntent.OptOut,
        ReplyIntent.Complaint,
        ReplyIntent.OptIn,
        ReplyIntent.ClaimsPaid,
        ReplyIntent.PlanRequest,
        ReplyIntent.Help,
        ReplyIntent.NotPaidYet,
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
        new("optout.wurao", ReplyIntent.OptOut, ReplyMatchKind.Contains, "勿扰"),
        new("optout.cancel", ReplyIntent.OptOut, ReplyMatchKind.Whole, "CANCEL"),
        new("optout.quxiao", ReplyIntent.OptOut, ReplyMatchKind.Whole, "取消"),
        new("optout.end", ReplyIntent.OptOut, ReplyMatchKind.Whole, "END"),
        new("optout.quit", ReplyIntent.OptOut, ReplyMatchKind.Whole, "QUIT"),
        new("optout.t", ReplyIntent.OptOut, ReplyMatchKind.Whole, "T"),
        new("optout.dont.send", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "发"),
        new("optout.dont.contact", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "联系"),
        new("optout.dont.disturb", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "打扰"),
        new("optout.dont.harass", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "骚扰"),
        new("optout.dont.text", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "TEXT"),
        new("optout.dont.texts", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "TEXTS"),
        new("optout.dont.message", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "MESSAGE"),
        new("optout.dont.messages", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "MESSAGES"),
        new("optout.dont.sms", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "SMS"),
        new("optout.dont.contact.en", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "CONTACT"),
        new("optout.dont.send.en", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "SEND"),
        new("optout.dont.harass.en", ReplyIntent.OptOut, ReplyMatchKind.Prohibited, "HARASS"),
        new("optout.negated", ReplyIntent.OptOut, ReplyMatchKind.Negated, nameof(ReplyIntent.OptOut)),
        new("complaint.tousu", ReplyIntent.Complaint, ReplyMatchKind.Contains, "投诉"),
        new("complaint.jubao", ReplyIntent.Complaint, ReplyMatchKind.Contains, "举报"),
        new("complaint.saorao", ReplyIntent.Complaint, ReplyMatchKind.Contains, "骚扰"),
        new("complaint.complain", ReplyIntent.Complaint, ReplyMatchKind.WordPrefix, "COMPLAIN"),
        new("complaint.harass", ReplyIntent.Complaint, ReplyMatchKind.WordPrefix, "HARASS"),
        new("complaint.negated", ReplyIntent.Unknown, ReplyMatchKind.Negated, nameof(ReplyIntent.Complaint)),
        new("optin.start", ReplyIntent.OptIn, ReplyMatchKind.Word, "START"),
        new("optin.unstop", ReplyIntent.OptIn, ReplyMatchKind.Word, "UNSTOP"),
        new("optin.negated", ReplyIntent.OptOut, ReplyMatchKind.Negated, nameof(ReplyIntent.OptIn)),
        new("paid.yihuan", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "已还"),
        new("paid.yijinghuan", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "已经还"),
        new("paid.huanqing", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "还清"),
        new("paid.huanle", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "还了"),
        new("paid.jieqing", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "结清"),
        new("paid.yifu", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "已付"),
        new("paid.fule", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "付了"),
        new("paid.fuqing", ReplyIntent.ClaimsPaid, ReplyMatchKind.Contains, "付清"),
        new("paid.already", ReplyIntent.ClaimsPaid, ReplyMatchKind.Word, "ALREADY PAID"),
        new("paid.paid", ReplyIntent.ClaimsPaid, ReplyMatchKind.Word, "PAID"),
        new("paid.hedged", ReplyIntent.Unknown, ReplyMatchKind.Hedged, nameof(ReplyIntent.ClaimsPaid)),
        new("paid.negated", ReplyIntent.NotPaidYet, ReplyMatchKind.Negated, nameof(ReplyIntent.ClaimsPaid)),
        new("plan.2", ReplyIntent.PlanRequest, ReplyMatchKind.Whole, "2"),
        new("plan.fenqi", ReplyIntent.PlanRequest, ReplyMatchKind.Contains, "分期"),
        new("plan.yanqi", ReplyIntent.PlanRequest, ReplyMatchKind.Contains, "延期"),
        new("plan.zhanqi", ReplyIntent.PlanRequest, ReplyMatchKind.Contains, "展期"),
        new("plan.extension", ReplyIntent.PlanRequest, ReplyMatchKind.WordPrefix, "EXTEN"),
        new("plan.instalment", ReplyIntent.PlanRequest, ReplyMatchKind.WordPrefix, "INSTAL"),
        new("plan.plan", ReplyIntent.PlanRequest, ReplyMatchKind.Word, "PLAN"),
        new("plan.plans", ReplyIntent.PlanRequest, ReplyMatchKind.Word, "PLANS"),
        new("plan.negated", ReplyIntent.Unknown, ReplyMatchKind.Negated, nameof(ReplyIntent.PlanRequest)),
        new("help.help", ReplyIntent.Help, ReplyMatchKind.Word, "HELP"),
        new("help.info", ReplyIntent.Help, ReplyMatchKind.Word, "INFO"),
        new("help.bangzhu", ReplyIntent.Help, ReplyMatchKind.Contains, "帮助"),
        new("help.negated", ReplyIntent.Unknown, ReplyMatchKind.Negated, nameof(ReplyIntent.Help)),
        new("notpaid.notyet", ReplyIntent.NotPaidYet, ReplyMatchKind.Word, "NOT YET"),
        new("notpaid.yettopay", ReplyIntent.NotPaidYet, ReplyMatchKind.Word, "YET TO PAY"),
        new("notpaid.didntpay", ReplyIntent.NotPaidYet, ReplyMatchKind.Word, "DIDN'T PAY"),
        new("notpaid.didnotpay", ReplyIntent.NotPaidYet, ReplyMatchKind.Word, "DID NOT PAY"),
        new("notpaid.haimei", ReplyIntent.NotPaidYet, ReplyMatchKind.Whole, "还没"),
        new("notpaid.haimeiyou", ReplyIntent.NotPaidYet, ReplyMatchKind.Whole, "还没有"),
        new("notpaid.haimeine", ReplyIntent.NotPaidYet, ReplyMatchKind.Whole, "还没呢"),
        new("notpaid.meiyouhuan", ReplyIntent.NotPaidYet, ReplyMatchKind.Contains, "没有还"),
        new("notpaid.meihuan", ReplyIntent.NotPaidYet, ReplyMatchKind.Contains, "没还"),
        new("notpaid.weihuan", ReplyIntent.NotPaidYet, ReplyMatchKind.Contains, "未还"),
        new("notpaid.meiyoufu", ReplyIntent.NotPaidYet, ReplyMatchKind.Contains, "没有付"),
        new("notpaid.meifu", ReplyIntent.NotPaidYet, ReplyMatchKind.Contains, "没付"),
        new("notpaid.weifu", ReplyIntent.NotPaidYet, ReplyMatchKind.Contains, "未付"),
        new("confirm.1", ReplyIntent.Confirm, ReplyMatchKind.Whole, "1"),
        new("confirm.shoudao", ReplyIntent.Confirm, ReplyMatchKind.Contains, "收到"),
        new("confirm.negated", ReplyIntent.Unknown, ReplyMatchKind.Negated, nameof(ReplyIntent.Confirm)),
    ];
}
