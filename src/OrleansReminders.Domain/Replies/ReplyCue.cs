namespace OrleansReminders.Domain.Replies;

/// <summary>What a token does to the rule matches after (or, for <see cref="Question"/> and <see cref="Tentative"/>, before) it.</summary>
public enum ReplyCue
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>NOT, NEVER, HAVEN'T, DIDN'T …, 没, 未, 不, 还没: negates a match up to four tokens later.</summary>
    Negation = 1,

    /// <summary>A negation that forbids: DON'T, NEVER, DO NOT, NO MORE, 别, 不要, 不用, 勿 (licenses <see cref="ReplyMatchKind.Prohibited"/>).</summary>
    Prohibition = 2,

    /// <summary>NO: negates only the word right after it ("no plan"), so "No I paid" stays a paid claim.</summary>
    AdjacentNegation = 3,

    /// <summary>MAYBE, I THINK, NOT SURE, IF, 好像, 应该, 可能, 不记得, A-不-A questions (是不是, 能不能, 有没有): hedges a match up to four tokens later.</summary>
    Hedge = 4,

    /// <summary>BUT, 但是, 不过: no negation or hedge reaches across it.</summary>
    Breaker = 5,

    /// <summary>吗, 嘛 within two tokens after a match: a question.</summary>
    Question = 6,

    /// <summary>吧 within two tokens after a match: tentative ("应该还了吧").</summary>
    Tentative = 7,
}
