namespace OrleansReminders.Domain.Replies;

/// <summary>How a <see cref="ReplyRule"/> pattern is compared with the normalised message.</summary>
public enum ReplyMatchKind
{
    /// <summary>The message, stripped of everything but letters and digits, equals the pattern ("1", "T").</summary>
    Whole,

    /// <summary>The pattern's words occur as whole consecutive words ("STOP" in "Stop. Thank you", not in "UNSTOP").</summary>
    Word,

    /// <summary>A word starts with the pattern ("COMPLAIN" matches complaint, complained).</summary>
    WordPrefix,

    /// <summary>The pattern occurs anywhere in the compact text; meant for Chinese, which has no spaces.</summary>
    Contains,
}
