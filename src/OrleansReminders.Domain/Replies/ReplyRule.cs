namespace OrleansReminders.Domain.Replies;

/// <summary>One row of the reply rule table: if <see cref="Pattern"/> matches by <see cref="Kind"/>, the intent is <see cref="Intent"/>.</summary>
/// <param name="Id">Stable id shown to ops (e.g. <c>optout.stop</c>).</param>
/// <param name="Intent">Intent the rule signals.</param>
/// <param name="Kind">How the pattern is matched.</param>
/// <param name="Pattern">Pattern text; compared after the same normalisation as the message.</param>
public sealed record ReplyRule(string Id, ReplyIntent Intent, ReplyMatchKind Kind, string Pattern);
