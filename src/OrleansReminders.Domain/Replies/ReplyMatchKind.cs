namespace OrleansReminders.Domain.Replies;

/// <summary>How a <see cref="ReplyRule"/> pattern is compared with the normalised message.</summary>
public enum ReplyMatchKind
{
    /// <summary>The message, stripped of everything but letters and digits, equals the pattern ("1", "T").</summary>
    Whole = 0,

    /// <summary>The pattern's words occur as whole consecutive words ("STOP" in "Stop. Thank you", not in "UNSTOP").</summary>
    Word = 1,

    /// <summary>A word starts with the pattern ("COMPLAIN" matches complaint, complained).</summary>
    WordPrefix = 2,

    /// <summary>The pattern occurs anywhere in the compact text; meant for Chinese, which has no spaces.</summary>
    Contains = 3,

    /// <summary>
    /// The pattern's words (or Chinese characters) right after a prohibition — 别, 不要, 不用, 勿, DON'T, DO NOT,
    /// NEVER, NO MORE — with at most four filler words between (再, 给, 我, EVER, PLEASE …): "发" matches 别发了 and
    /// 不要再给我发, "TEXT" matches "don't text me", neither matches 没发工资 or "I didn't get your text".
    /// </summary>
    Prohibited = 4,

    /// <summary>
    /// Not matched against the text: the row is what a negated match of the intent named by the pattern becomes
    /// (pattern "ClaimsPaid": "I have not paid" → this row's intent). See <see cref="ReplyRules"/>.
    /// </summary>
    Negated = 5,

    /// <summary>
    /// Not matched against the text: the row is what a hedged or questioned match of the intent named by the pattern
    /// becomes ("maybe I paid", 我好像还了, 已经还了吗).
    /// </summary>
    Hedged = 6,
}
