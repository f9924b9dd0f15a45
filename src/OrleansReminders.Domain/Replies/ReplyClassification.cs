namespace OrleansReminders.Domain.Replies;

/// <summary>The intent of a message and the rule that decided it (<c>null</c> when <see cref="ReplyIntent.Unknown"/>).</summary>
/// <param name="Intent">Recognised intent.</param>
/// <param name="Rule">Matching rule, so ops can see why.</param>
/// <param name="NormalizedText">The message after normalisation (what the rules saw).</param>
public sealed record ReplyClassification(ReplyIntent Intent, ReplyRule? Rule, string NormalizedText);
