using System.Runtime.CompilerServices;

namespace OrleansReminders.Domain.Replies;

/// <summary>
/// Classifies inbound SMS text into a <see cref="ReplyIntent"/> with a rule table
/// (default <see cref="ReplyRules.Default"/>), trying intents in <see cref="ReplyRules.Precedence"/> order.
/// Pure and deterministic; tolerant of case, full-width characters, punctuation, whitespace and emoji.
/// </summary>
public static class ReplyClassifier
{
    private static readonly ConditionalWeakTable<ReplyRule, NormalizedReply> Patterns = [];

    /// <summary>Classifies with the default rules.</summary>
    public static ReplyClassification Classify(string? text) => Classify(text, ReplyRules.Default);

    /// <summary>Classifies with the given rules; the first intent in precedence order with a matching rule wins.</summary>
    public static ReplyClassification Classify(string? text, IReadOnlyList<ReplyRule> rules)
    {
        var reply = NormalizedReply.From(text);
        foreach (var intent in ReplyRules.Precedence)
        {
            foreach (var rule in rules)
            {
                if (rule.Intent == intent && Matches(rule, reply))
                {
                    return new ReplyClassification(intent, rule, reply.Text);
                }
            }
        }

        return new ReplyClassification(ReplyIntent.Unknown, null, reply.Text);
    }

    /// <summary>Whether one rule matches a normalised message.</summary>
    public static bool Matches(ReplyRule rule, NormalizedReply reply)
    {
        var pattern = Patterns.GetValue(rule, r => NormalizedReply.From(r.Pattern));
        return rule.Kind switch
        {
            ReplyMatchKind.Whole => pattern.Compact.Length > 0 && reply.Compact == pattern.Compact,
            ReplyMatchKind.Word => ContainsSequence(reply.Words, pattern.Words),
            ReplyMatchKind.WordPrefix => pattern.Compact.Length > 0
                && reply.Words.Any(word => word.StartsWith(pattern.Compact, StringComparison.Ordinal)),
            ReplyMatchKind.Contains => pattern.Compact.Length > 0
                && reply.Compact.Contains(pattern.Compact, StringComparison.Ordinal),
            _ => false,
        };
    }

    private static bool ContainsSequence(IReadOnlyList<string> words, IReadOnlyList<string> sequence)
    {
        if (sequence.Count == 0)
        {
            return false;
        }

        for (var start = 0; start + sequence.Count <= words.Count; start++)
        {
            if (Enumerable.Range(0, sequence.Count).All(i => words[start + i] == sequence[i]))
            {
                return true;
            }
        }

        return false;
    }
}
