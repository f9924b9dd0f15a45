using System.Runtime.CompilerServices;
using System.Text;

namespace OrleansReminders.Domain.Replies;

/// <summary>
/// Classifies inbound SMS text into a <see cref="ReplyIntent"/> with a rule table (default <see cref="ReplyRules.Default"/>).
/// Every occurrence of every rule is found; one governed by a negation or hedge (<see cref="ReplyCues"/>) becomes the
/// table's <see cref="ReplyMatchKind.Negated"/> or <see cref="ReplyMatchKind.Hedged"/> row for its intent, if there is
/// one; the outcome whose intent comes first in <see cref="ReplyRules.Precedence"/> wins (Unknown last), a plain match
/// before a negated or hedged one, then table order.
/// Pure and deterministic; linear in the length of the text; tolerant of case, full-width characters, punctuation,
/// whitespace and emoji.
/// </summary>
public static class ReplyClassifier
{
    /// <summary>How many tokens (words or Chinese characters) before a match a negation or hedge still reaches.</summary>
    public const int Window = 4;

    /// <summary>How many filler tokens (再, 给, 我, EVER, PLEASE …) may stand between a prohibition and a <see cref="ReplyMatchKind.Prohibited"/> pattern.</summary>
    public const int MaxFillers = 4;

    private static readonly ConditionalWeakTable<ReplyRule, NormalizedReply> Patterns = [];

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "再", "给", "我", "们", "也", "都", "就", "在", "老", "总", "一", "直",
        "EVER", "PLEASE", "PLS", "JUST", "EVEN", "AGAIN",
    };

    /// <summary>Classifies with the default rules.</summary>
    public static ReplyClassification Classify(string? text) => Classify(text, ReplyRules.Default);

    /// <summary>Classifies with the given rules.</summary>
    public static ReplyClassification Classify(string? text, IReadOnlyList<ReplyRule> rules)
    {
        var reply = NormalizedReply.From(text);
        var cues = ReplyCues.Mark(reply.Tokens);
        var matches = new List<(int Rule, int Start, int End)>();
        for (var r = 0; r < rules.Count; r++)
        {
            foreach (var (start, end) in Occurrences(rules[r], reply, cues))
            {
                matches.Add((r, start, end));
            }
        }

        if (matches.Count == 0)
        {
            return new ReplyClassification(ReplyIntent.Unknown, null, reply.Text);
        }

        var modifiers = Modifiers(rules);
        var earliestEnds = EarliestEnds(reply.Tokens.Count, matches);
        ReplyClassification? best = null;
        var bestKey = (0, 0, 0);
        foreach (var (r, start, end) in matches)
        {
            var candidate = Resolve(rules[r], modifiers, reply, cues, earliestEnds, start, end);
            var key = (Rank(candidate.Intent), candidate.Underlying is null ? 0 : 1, r);
            if (best is null || key.CompareTo(bestKey) < 0)
            {
                (best, bestKey) = (candidate, key);
            }
        }

        return best!;
    }

    /// <summary>
    /// Whether one rule's pattern occurs in a normalised message, negated or not
    /// (<see cref="ReplyMatchKind.Negated"/> and <see cref="ReplyMatchKind.Hedged"/> rows never match text).
    /// </summary>
    public static bool Matches(ReplyRule rule, NormalizedReply reply) =>
        Occurrences(rule, reply, ReplyCues.Mark(reply.Tokens)).Any();

    // A match never starts on a hedge: 有没有还 asks whether it was paid, it does not say 没有还.
    private static IEnumerable<(int Start, int End)> Occurrences(ReplyRule rule, NormalizedReply reply, ReplyCue[] cues) =>
        AllOccurrences(rule, reply, cues).Where(match => cues[match.Start] != ReplyCue.Hedge);

    private static IEnumerable<(int Start, int End)> AllOccurrences(ReplyRule rule, NormalizedReply reply, ReplyCue[] cues)
    {
        var pattern = Patterns.GetValue(rule, r => NormalizedReply.From(r.Pattern));
        var tokens = reply.Tokens;
        var words = pattern.Tokens.Select(token => token.Value).ToArray();
        switch (rule.Kind)
        {
            case ReplyMatchKind.Whole when pattern.Compact.Length > 0 && reply.Compact == pattern.Compact:
                yield return (0, tokens.Count - 1);
                break;
            case ReplyMatchKind.Word:
                foreach (var start in Sequences(tokens, words))
                {
                    yield return (start, start + words.Length - 1);
                }

                break;
            case ReplyMatchKind.WordPrefix when pattern.Compact.Length > 0:
                for (var i = 0; i < tokens.Count; i++)
                {
                    if (tokens[i].IsWord && tokens[i].Value.StartsWith(pattern.Compact, StringComparison.Ordinal))
                    {
                        yield return (i, i);
                    }
                }

                break;
            case ReplyMatchKind.Contains when pattern.Compact.Length > 0:
                for (var at = reply.Compact.IndexOf(pattern.Compact, StringComparison.Ordinal);
                     at >= 0;
                     at = reply.Compact.IndexOf(pattern.Compact, at + 1, StringComparison.Ordinal))
                {
                    yield return (reply.TokenAt(at), reply.TokenAt(at + pattern.Compact.Length - 1));
                }

                break;
            case ReplyMatchKind.Prohibited:
                foreach (var start in Sequences(tokens, words))
                {
                    if (ProhibitionBefore(tokens, cues, start) is { } prohibition)
                    {
                        yield return (prohibition, start + words.Length - 1);
                    }
                }

                break;
        }
    }

    private static IEnumerable<int> Sequences(IReadOnlyList<ReplyToken> tokens, string[] words)
    {
        if (words.Length == 0)
        {
            yield break;
        }

        for (var start = 0; start + words.Length <= tokens.Count; start++)
        {
            var k = 0;
            while (k < words.Length && tokens[start + k].Value == words[k])
            {
                k++;
            }

            if (k == words.Length)
            {
                yield return start;
            }
        }
    }

    // The first token of the prohibition (别, 不要, DO NOT …) before start, across at most MaxFillers fillers.
    private static int? ProhibitionBefore(IReadOnlyList<ReplyToken> tokens, ReplyCue[] cues, int start)
    {
        var clause = tokens[start].Clause;
        var t = start - 1;
        for (var fillers = 0; t >= 0 && fillers < MaxFillers && cues[t] != ReplyCue.Prohibition
             && tokens[t].Clause == clause && Fillers.Contains(tokens[t].Value); fillers++)
        {
            t--;
        }

        if (t < 0 || tokens[t].Clause != clause || cues[t] != ReplyCue.Prohibition)
        {
            return null;
        }

        while (t > 0 && cues[t - 1] == ReplyCue.Prohibition && tokens[t - 1].Clause == clause)
        {
            t--;
        }

        return t;
    }

    private static ReplyClassification Resolve(
        ReplyRule rule,
        Dictionary<(ReplyMatchKind, ReplyIntent), ReplyRule> modifiers,
        NormalizedReply reply,
        ReplyCue[] cues,
        int[] earliestEnds,
        int start,
        int end)
    {
        var (negation, hedge) = LookBehind(reply.Tokens, cues, earliestEnds, start);
        var (after, afterCue) = LookAhead(reply.Tokens, cues, end);
        hedge ??= afterCue;
        if (hedge is not null && modifiers.GetValueOrDefault((ReplyMatchKind.Hedged, rule.Intent)) is { } hedged)
        {
            return new ReplyClassification(hedged.Intent, hedged, reply.Text, rule, hedge);
        }

        // A negated question is rhetorical: 这不是骚扰吗 is a complaint, 不能分期吗 asks for a plan.
        if (negation is not null && after != ReplyCue.Question
            && modifiers.GetValueOrDefault((ReplyMatchKind.Negated, rule.Intent)) is { } negated)
        {
            return new ReplyClassification(negated.Intent, negated, reply.Text, rule, negation);
        }

        return new ReplyClassification(rule.Intent, rule, reply.Text);
    }

    // Negation and hedge cues among the Window tokens before start, in its clause, stopping at a breaker (BUT, 但是)
    // or at a plain token of an earlier match: 没还款分期 negates 还款, not 分期. Cue tokens never stop the scan, so
    // in "not yet paid" the NOT YET match still negates PAID.
    private static (string? Negation, string? Hedge) LookBehind(
        IReadOnlyList<ReplyToken> tokens, ReplyCue[] cues, int[] earliestEnds, int start)
    {
        string? negation = null;
        string? hedge = null;
        for (var t = start - 1; t >= 0 && start - t <= Window; t--)
        {
            if (tokens[t].Clause != tokens[start].Clause || cues[t] == ReplyCue.Breaker)
            {
                break;
            }

            if (ReplyCues.Negates(cues[t]) || (cues[t] == ReplyCue.AdjacentNegation && t == start - 1))
            {
                negation ??= CueText(tokens, cues, t);
            }
            else if (cues[t] == ReplyCue.Hedge)
            {
                hedge ??= CueText(tokens, cues, t);
            }
            else if (earliestEnds[t] < start)
            {
                break;
            }
        }

        return (negation, hedge);
    }

    // The whole cue around token t: 不要, 好像, NOT YET, DO NOT.
    private static string CueText(IReadOnlyList<ReplyToken> tokens, ReplyCue[] cues, int t)
    {
        var (first, last) = (t, t);
        while (first > 0 && cues[first - 1] == cues[t] && tokens[first - 1].Clause == tokens[t].Clause)
        {
            first--;
        }

        while (last + 1 < tokens.Count && cues[last + 1] == cues[t] && tokens[last + 1].Clause == tokens[t].Clause)
        {
            last++;
        }

        var text = new StringBuilder(tokens[first].Value);
        for (var k = first + 1; k <= last; k++)
        {
            text.Append(tokens[k - 1].IsWord && tokens[k].IsWord ? " " : "").Append(tokens[k].Value);
        }

        return text.ToString();
    }

    // 吗, 嘛 (question) or 吧 (tentative) within two tokens after end, in its clause: 已经还了吗.
    private static (ReplyCue Cue, string? Token) LookAhead(IReadOnlyList<ReplyToken> tokens, ReplyCue[] cues, int end)
    {
        for (var t = end + 1; t < tokens.Count && t - end <= 2 && tokens[t].Clause == tokens[end].Clause; t++)
        {
            if (cues[t] is ReplyCue.Question or ReplyCue.Tentative)
            {
                return (cues[t], tokens[t].Value);
            }
        }

        return (ReplyCue.None, null);
    }

    private static int[] EarliestEnds(int tokenCount, List<(int Rule, int Start, int End)> matches)
    {
        var ends = new int[tokenCount];
        Array.Fill(ends, int.MaxValue);
        foreach (var (_, start, end) in matches)
        {
            for (var t = start; t <= end; t++)
            {
                ends[t] = Math.Min(ends[t], end);
            }
        }

        return ends;
    }

    private static Dictionary<(ReplyMatchKind, ReplyIntent), ReplyRule> Modifiers(IReadOnlyList<ReplyRule> rules)
    {
        var modifiers = new Dictionary<(ReplyMatchKind, ReplyIntent), ReplyRule>();
        foreach (var rule in rules)
        {
            if (rule.Kind is ReplyMatchKind.Negated or ReplyMatchKind.Hedged
                && Enum.TryParse<ReplyIntent>(rule.Pattern, ignoreCase: true, out var intent))
            {
                modifiers.TryAdd((rule.Kind, intent), rule);
            }
        }

        return modifiers;
    }

    private static int Rank(ReplyIntent intent)
    {
        var rank = 0;
        foreach (var precedence in ReplyRules.Precedence)
        {
            if (precedence == intent)
            {
                return rank;
            }

            rank++;
        }

        return rank;
    }
}
