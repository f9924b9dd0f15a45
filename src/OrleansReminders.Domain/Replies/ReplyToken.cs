namespace OrleansReminders.Domain.Replies;

/// <summary>One token of a <see cref="NormalizedReply"/>.</summary>
/// <param name="Value">A word of non-CJK letters and digits, apostrophes dropped (DON'T → DONT), or one CJK character.</param>
/// <param name="IsWord">True for a word, false for a CJK character.</param>
/// <param name="Clause">Clause number: it goes up at every , . ; : ! ? 。 、 (full-width forms included).</param>
/// <param name="Start">Offset of the token in <see cref="NormalizedReply.Compact"/>.</param>
public readonly record struct ReplyToken(string Value, bool IsWord, int Clause, int Start);
