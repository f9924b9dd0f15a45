namespace OrleansReminders.Domain.Replies;

/// <summary>The intent of a message and the rule that decided it.</summary>
/// <param name="Intent">Recognised intent.</param>
/// <param name="Rule">
/// The deciding rule, so ops can see why; <c>null</c> only when no rule matched. For a negated or hedged match it is
/// the modifier row (<c>paid.negated</c>, <c>paid.hedged</c>, <c>plan.negated</c> …), whose intent may be
/// <see cref="ReplyIntent.Unknown"/>.
/// </param>
/// <param name="NormalizedText">The message after normalisation (what the rules saw).</param>
/// <param name="Underlying">For a negated or hedged match, the rule that matched the text (<c>paid.paid</c> behind <c>paid.negated</c>).</param>
/// <param name="Cue">For a negated or hedged match, the token that negated or hedged it (<c>HAVENT</c>, <c>没</c>, <c>MAYBE</c>, <c>吗</c>).</param>
public sealed record ReplyClassification(
    ReplyIntent Intent,
    ReplyRule? Rule,
    string NormalizedText,
    ReplyRule? Underlying = null,
    string? Cue = null);
