namespace OrleansReminders.Domain.Replies;

/// <summary>
/// Marks negation, prohibition, hedge, question and clause-breaking tokens of a reply in one pass: phrases first
/// (longest at each position, so 对不起 and 不好意思 are not negations and NOT SURE is a hedge), then single tokens.
/// Pure; linear in the number of tokens.
/// </summary>
public static class ReplyCues
{
    // Phrases by their first token, longest first.
    private static readonly Dictionary<string, (string[] Tokens, ReplyCue Cue)[]> Phrases = new (string Text, ReplyCue Cue)[]
    {
        // Words holding 不 or 没 that negate nothing ("sorry", "not bad", "no problem", "don't worry" …).
        ("对不起", ReplyCue.None), ("不好意思", ReplyCue.None), ("不错", ReplyCue.None), ("没错", ReplyCue.None),
        ("没事", ReplyCue.None), ("没关系", ReplyCue.None), ("没问题", ReplyCue.None), ("不客气", ReplyCue.None),
        ("不用谢", ReplyCue.None), ("不久", ReplyCue.None), ("差不多", ReplyCue.None), ("没想到", ReplyCue.None),
        ("不管", ReplyCue.None), ("不要紧", ReplyCue.None), ("不用担心", ReplyCue.None), ("不要担心", ReplyCue.None),
        ("别担心", ReplyCue.None), ("别急", ReplyCue.None), ("不要急", ReplyCue.None), ("不用急", ReplyCue.None),
        ("别着急", ReplyCue.None), ("不着急", ReplyCue.None),
        ("NEVER MIND", ReplyCue.None), ("DON'T WORRY", ReplyCue.None), ("NO PROBLEM", ReplyCue.None),
        ("NO WORRIES", ReplyCue.None), ("NOT ONLY", ReplyCue.None),

        ("好像", ReplyCue.Hedge), ("应该", ReplyCue.Hedge), ("可能", ReplyCue.Hedge), ("也许", ReplyCue.Hedge),
        ("大概", ReplyCue.Hedge), ("似乎", ReplyCue.Hedge), ("估计", ReplyCue.Hedge), ("貌似", ReplyCue.Hedge),
        ("是否", ReplyCue.Hedge), ("不确定", ReplyCue.Hedge), ("不记得", ReplyCue.Hedge), ("记不清", ReplyCue.Hedge),
        ("不知道", ReplyCue.Hedge), ("不清楚", ReplyCue.Hedge),
        ("NOT SURE", ReplyCue.Hedge), ("NOT CERTAIN", ReplyCue.Hedge), ("DON'T KNOW", ReplyCue.Hedge),
        ("DO NOT KNOW", ReplyCue.Hedge), ("DON'T REMEMBER", ReplyCue.Hedge), ("DO NOT REMEMBER", ReplyCue.Hedge),
        ("CAN'T REMEMBER", ReplyCue.Hedge), ("DON'T RECALL", ReplyCue.Hedge), ("CAN'T RECALL", ReplyCue.Hedge),

        ("但是", ReplyCue.Breaker), ("可是", ReplyCue.Breaker), ("不过", ReplyCue.Breaker), ("然而", ReplyCue.Breaker),

        ("NOT YET", ReplyCue.Negation), ("YET TO", ReplyCue.Negation),

        ("不要", ReplyCue.Prohibition), ("不用", ReplyCue.Prohibition), ("不许", ReplyCue.Prohibition),
        ("不准", ReplyCue.Prohibition), ("不必", ReplyCue.Prohibition), ("不需要", ReplyCue.Prohibition),
        ("DO NOT", ReplyCue.Prohibition), ("NO MORE", ReplyCue.Prohibition),
    }
        .Select(phrase => (Tokens: NormalizedReply.From(phrase.Text).Tokens.Select(t => t.Value).ToArray(), phrase.Cue))
        .GroupBy(phrase => phrase.Tokens[0], StringComparer.Ordinal)
        .ToDictionary(
            group => group.Key,
            group => group.OrderByDescending(phrase => phrase.Tokens.Length).ToArray(),
            StringComparer.Ordinal);

    private static readonly Dictionary<string, ReplyCue> Singles = new(StringComparer.Ordinal)
    {
        ["没"] = ReplyCue.Negation, ["未"] = ReplyCue.Negation, ["不"] = ReplyCue.Negation,
        ["别"] = ReplyCue.Prohibition, ["勿"] = ReplyCue.Prohibition, ["甭"] = ReplyCue.Prohibition,
        ["吗"] = ReplyCue.Question, ["嘛"] = ReplyCue.Question, ["吧"] = ReplyCue.Tentative, ["但"] = ReplyCue.Breaker,
        ["NOT"] = ReplyCue.Negation, ["CANNOT"] = ReplyCue.Negation, ["CANT"] = ReplyCue.Negation,
        ["DOESNT"] = ReplyCue.Negation, ["DIDNT"] = ReplyCue.Negation, ["HAVENT"] = ReplyCue.Negation,
        ["HASNT"] = ReplyCue.Negation, ["HADNT"] = ReplyCue.Negation, ["ISNT"] = ReplyCue.Negation,
        ["ARENT"] = ReplyCue.Negation, ["WASNT"] = ReplyCue.Negation, ["WERENT"] = ReplyCue.Negation,
        ["COULDNT"] = ReplyCue.Negation, ["WOULDNT"] = ReplyCue.Negation, ["SHOULDNT"] = ReplyCue.Negation,
        ["WONT"] = ReplyCue.Negation, ["AINT"] = ReplyCue.Negation, ["NEITHER"] = ReplyCue.Negation,
        ["NOR"] = ReplyCue.Negation,
        ["DONT"] = ReplyCue.Prohibition, ["NEVER"] = ReplyCue.Prohibition,
        ["NO"] = ReplyCue.AdjacentNegation,
        ["MAYBE"] = ReplyCue.Hedge, ["PERHAPS"] = ReplyCue.Hedge, ["PROBABLY"] = ReplyCue.Hedge,
        ["POSSIBLY"] = ReplyCue.Hedge, ["THINK"] = ReplyCue.Hedge, ["GUESS"] = ReplyCue.Hedge,
        ["BELIEVE"] = ReplyCue.Hedge, ["SUPPOSE"] = ReplyCue.Hedge, ["MIGHT"] = ReplyCue.Hedge,
        ["MAY"] = ReplyCue.Hedge, ["IF"] = ReplyCue.Hedge, ["WHETHER"] = ReplyCue.Hedge, ["UNSURE"] = ReplyCue.Hedge,
        ["BUT"] = ReplyCue.Breaker, ["HOWEVER"] = ReplyCue.Breaker, ["ALTHOUGH"] = ReplyCue.Breaker,
        ["THOUGH"] = ReplyCue.Breaker,
    };

    /// <summary>Whether a cue negates (a prohibition is a negation too).</summary>
    public static bool Negates(ReplyCue cue) => cue is ReplyCue.Negation or ReplyCue.Prohibition;

    /// <summary>The cue of every token.</summary>
    public static ReplyCue[] Mark(IReadOnlyList<ReplyToken> tokens)
    {
        var cues = new ReplyCue[tokens.Count];
        var i = 0;
        while (i < tokens.Count)
        {
            var length = 1;
            if (Phrase(tokens, i) is var (phraseLength, cue))
            {
                length = phraseLength;
                Array.Fill(cues, cue, i, length);
            }
            else if (IsAnotA(tokens, i))
            {
                // X不 only: the second X may start a match (分不分期 asks for a plan).
                cues[i - 1] = cues[i] = ReplyCue.Hedge;
            }
            else
            {
                cues[i] = Singles.GetValueOrDefault(tokens[i].Value);
            }

            i += length;
        }

        return cues;
    }

    private static (int Length, ReplyCue Cue)? Phrase(IReadOnlyList<ReplyToken> tokens, int at)
    {
        foreach (var (phrase, cue) in Phrases.GetValueOrDefault(tokens[at].Value) ?? [])
        {
            if (at + phrase.Length <= tokens.Count && tokens[at + phrase.Length - 1].Clause == tokens[at].Clause)
            {
                var k = 1;
                while (k < phrase.Length && tokens[at + k].Value == phrase[k])
                {
                    k++;
                }

                if (k == phrase.Length)
                {
                    return (phrase.Length, cue);
                }
            }
        }

        return null;
    }

    // 是不是, 能不能, 可不可以, 有没有: a yes-no question, not a negation. With 没 only 有没有: 还没还 is "still not repaid".
    private static bool IsAnotA(IReadOnlyList<ReplyToken> tokens, int at) =>
        at > 0 && at + 1 < tokens.Count
        && !tokens[at - 1].IsWord && tokens[at - 1].Value == tokens[at + 1].Value
        && (tokens[at].Value == "不" || (tokens[at].Value == "没" && tokens[at + 1].Value == "有"));
}
