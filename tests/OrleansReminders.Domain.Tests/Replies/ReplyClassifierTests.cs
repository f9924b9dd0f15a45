using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrleansReminders.Domain.Replies;

namespace OrleansReminders.Domain.Tests.Replies;

public sealed class ReplyClassifierTests
{
    [Theory]
    [InlineData("1")]
    [InlineData(" 1 ")]
    [InlineData("１")]
    [InlineData("1.")]
    [InlineData("1️⃣")]
    [InlineData("收到")]
    public void ConfirmReplies(string text) => AssertIntent(ReplyIntent.Confirm, text);

    [Theory]
    [InlineData("2")]
    [InlineData("２！")]
    [InlineData("我想分期")]
    [InlineData("能不能延期几天")]
    [InlineData("Can I get an extension?")]
    [InlineData("instalment please")]
    [InlineData("Installments?")]
    [InlineData("need a payment plan")]
    public void PlanRequests(string text) => AssertIntent(ReplyIntent.PlanRequest, text);

    [Theory]
    [InlineData("已还")]
    [InlineData("我已经还了")]
    [InlineData("已还款，请查收")]
    [InlineData("paid")]
    [InlineData("I already paid!!")]
    [InlineData("PAID yesterday")]
    public void PaidClaims(string text) => AssertIntent(ReplyIntent.ClaimsPaid, text);

    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData("STOPALL")]
    [InlineData("unsubscribe")]
    [InlineData("CANCEL")]
    [InlineData("End")]
    [InlineData("quit")]
    [InlineData("TD")]
    [InlineData("td")]
    [InlineData("T")]
    [InlineData("退订")]
    [InlineData("退订回T?")]
    [InlineData("Stop. Thank you")]
    [InlineData("stop please")]
    [InlineData("Ｓｔｏｐ")]
    [InlineData("  ...STOP!!! ")]
    [InlineData("🛑 stop 🙏")]
    [InlineData("\"Stop\"")]
    [InlineData("请取消订阅")]
    public void OptOuts(string text) => AssertIntent(ReplyIntent.OptOut, text);

    [Theory]
    [InlineData("START")]
    [InlineData("start")]
    [InlineData("UNSTOP")]
    public void OptIns(string text) => AssertIntent(ReplyIntent.OptIn, text);

    [Theory]
    [InlineData("HELP")]
    [InlineData("info")]
    [InlineData("帮助")]
    public void HelpRequests(string text) => AssertIntent(ReplyIntent.Help, text);

    [Theory]
    [InlineData("我要投诉你们")]
    [InlineData("I will complain to the regulator")]
    [InlineData("Complaint")]
    [InlineData("this is harassment")]
    [InlineData("stop harassing me")]
    public void Complaints(string text)
    {
        var expected = text.StartsWith("stop", StringComparison.Ordinal) ? ReplyIntent.OptOut : ReplyIntent.Complaint;
        AssertIntent(expected, text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("hello who is this")]
    [InlineData("12")]
    [InlineData("cancel my order")]
    [InlineData("just a test")]
    [InlineData("I love my planet")]
    public void UnknownReplies(string? text)
    {
        var result = ReplyClassifier.Classify(text);

        Assert.Equal(ReplyIntent.Unknown, result.Intent);
        Assert.Null(result.Rule);
    }

    [Theory]
    [InlineData("已还 退订", "optout.tuiding")]
    [InlineData("Stop. Thank you", "optout.stop")]
    [InlineData("paid, now STOP", "optout.stop")]
    [InlineData("分期 TD", "optout.td")]
    [InlineData("START STOP", "optout.stop")]
    [InlineData("投诉 退订", "optout.tuiding")]
    public void OptOutWinsOverEverythingElse(string text, string ruleId)
    {
        var result = ReplyClassifier.Classify(text);

        Assert.Equal(ReplyIntent.OptOut, result.Intent);
        Assert.Equal(ruleId, result.Rule!.Id);
    }

    [Fact]
    public void ComplaintWinsOverPaidClaim()
    {
        AssertIntent(ReplyIntent.Complaint, "已经还了还打电话，我要投诉");
    }

    [Fact]
    public void ResultNamesRuleAndPatternForOps()
    {
        var result = ReplyClassifier.Classify("Ｓｔｏｐ. thanks");

        Assert.Equal("optout.stop", result.Rule!.Id);
        Assert.Equal("STOP", result.Rule.Pattern);
        Assert.Equal(ReplyMatchKind.Word, result.Rule.Kind);
        Assert.Equal("STOP. THANKS", result.NormalizedText);
    }

    [Fact]
    public void CustomRuleTableIsHonoured()
    {
        ReplyRule[] rules = [new("optout.arret", ReplyIntent.OptOut, ReplyMatchKind.Word, "arret")];

        Assert.Equal(ReplyIntent.OptOut, ReplyClassifier.Classify("Arret svp", rules).Intent);
        Assert.Equal(ReplyIntent.Unknown, ReplyClassifier.Classify("STOP", rules).Intent);
    }

    [Fact]
    public void EveryDefaultRuleIdIsUnique()
    {
        Assert.Equal(ReplyRules.Default.Count, ReplyRules.Default.Select(rule => rule.Id).Distinct().Count());
    }

    /// <summary>
    /// Negation, hedges, prohibitions, mixed languages and full-width forms: the text, the intent and the rule
    /// reported (null: no rule matched).
    /// </summary>
    public static TheoryData<string, ReplyIntent, string?> Phrasings { get; } = new()
    {
        // English negation of a paid claim: never ClaimsPaid; NotPaidYet, with the negation rule for ops.
        { "I have not paid yet", ReplyIntent.NotPaidYet, "paid.negated" },
        { "I have not paid", ReplyIntent.NotPaidYet, "paid.negated" },
        { "haven't paid yet", ReplyIntent.NotPaidYet, "paid.negated" },
        { "haven’t paid", ReplyIntent.NotPaidYet, "paid.negated" },
        { "HAVENT PAID", ReplyIntent.NotPaidYet, "paid.negated" },
        { "never paid", ReplyIntent.NotPaidYet, "paid.negated" },
        { "not paid yet", ReplyIntent.NotPaidYet, "paid.negated" },
        { "not yet", ReplyIntent.NotPaidYet, "notpaid.notyet" },
        { "Not yet, sorry", ReplyIntent.NotPaidYet, "notpaid.notyet" },
        { "I didn't pay", ReplyIntent.NotPaidYet, "notpaid.didntpay" },
        { "Ｉ ｈａｖｅ ｎｏｔ ｐａｉｄ！", ReplyIntent.NotPaidYet, "paid.negated" },

        // "No" negates only the word right after it, and a clause break ends a negation: these are claims.
        { "No I paid", ReplyIntent.ClaimsPaid, "paid.paid" },
        { "No, I paid already", ReplyIntent.ClaimsPaid, "paid.paid" },
        { "don't worry I paid", ReplyIntent.ClaimsPaid, "paid.paid" },

        // Hedged paid claims are not firm claims: Unknown via paid.hedged (no pause; ops read them).
        { "maybe I paid", ReplyIntent.Unknown, "paid.hedged" },
        { "I think I paid", ReplyIntent.Unknown, "paid.hedged" },
        { "not sure if I paid", ReplyIntent.Unknown, "paid.hedged" },

        // Opt-out exception: a negated STOP / START, and prohibitions of contact, are opt-outs.
        { "don't stop", ReplyIntent.OptOut, "optout.negated" },
        { "ｄｏｎ＇ｔ ｓｔｏｐ", ReplyIntent.OptOut, "optout.negated" },
        { "do not stop", ReplyIntent.OptOut, "optout.negated" },
        { "don't start", ReplyIntent.OptOut, "optin.negated" },
        { "don't text me", ReplyIntent.OptOut, "optout.dont.text" },
        { "Please don't ever text me again", ReplyIntent.OptOut, "optout.dont.text" },
        { "do not contact me", ReplyIntent.OptOut, "optout.dont.contact.en" },
        { "no more messages", ReplyIntent.OptOut, "optout.dont.messages" },
        { "don't harass me", ReplyIntent.OptOut, "optout.dont.harass.en" },
        { "I didn't get your text", ReplyIntent.Unknown, null },

        // Other negated intents become Unknown, each with its own rule.
        { "I don't need a plan", ReplyIntent.Unknown, "plan.negated" },
        { "no plan", ReplyIntent.Unknown, "plan.negated" },
        { "no help needed", ReplyIntent.Unknown, "help.negated" },
        { "I'm not complaining", ReplyIntent.Unknown, "complaint.negated" },
        { "haven't paid need a plan", ReplyIntent.PlanRequest, "plan.plan" },

        // Chinese negation of a paid claim.
        { "还没还", ReplyIntent.NotPaidYet, "notpaid.meihuan" },
        { "还没还。", ReplyIntent.NotPaidYet, "notpaid.meihuan" },
        { "没有还款", ReplyIntent.NotPaidYet, "notpaid.meiyouhuan" },
        { "我还没有还", ReplyIntent.NotPaidYet, "notpaid.meiyouhuan" },
        { "还没", ReplyIntent.NotPaidYet, "notpaid.haimei" },
        { "还没呢", ReplyIntent.NotPaidYet, "notpaid.haimeine" },
        { "未还款", ReplyIntent.NotPaidYet, "notpaid.weihuan" },
        { "还没付", ReplyIntent.NotPaidYet, "notpaid.meifu" },
        { "没还清，下周还", ReplyIntent.NotPaidYet, "notpaid.meihuan" },
        { "我真的没有全部还清", ReplyIntent.NotPaidYet, "paid.negated" },
        { "我不还了", ReplyIntent.NotPaidYet, "paid.negated" },

        // Chinese: words holding 不 that negate nothing, and clause breaks.
        { "不，我已经还了", ReplyIntent.ClaimsPaid, "paid.yijinghuan" },
        { "对不起我已经还了", ReplyIntent.ClaimsPaid, "paid.yijinghuan" },
        { "不好意思，已还", ReplyIntent.ClaimsPaid, "paid.yihuan" },
        { "我还了", ReplyIntent.ClaimsPaid, "paid.huanle" },
        { "已结清", ReplyIntent.ClaimsPaid, "paid.jieqing" },

        // Chinese hedges and questions: not firm claims.
        { "我好像还了", ReplyIntent.Unknown, "paid.hedged" },
        { "应该还了吧", ReplyIntent.Unknown, "paid.hedged" },
        { "可能已经还清了", ReplyIntent.Unknown, "paid.hedged" },
        { "已经还了吗", ReplyIntent.Unknown, "paid.hedged" },
        { "是不是已经还了", ReplyIntent.Unknown, "paid.hedged" },
        { "我不记得有没有还清", ReplyIntent.Unknown, "paid.hedged" },
        { "有没有还", ReplyIntent.Unknown, null },

        // 我不是已经还了吗 ("haven't I already paid?!") is rhetorical, but a questioned claim is still not a firm
        // one: paid.hedged, never ClaimsPaid and never the literal NotPaidYet.
        { "我不是已经还了吗", ReplyIntent.Unknown, "paid.hedged" },

        // Chinese opt-outs holding a negation (the opt-out exception).
        { "别发了", ReplyIntent.OptOut, "optout.dont.send" },
        { "别发了！！！", ReplyIntent.OptOut, "optout.dont.send" },
        { "不要再给我发短信了", ReplyIntent.OptOut, "optout.dont.send" },
        { "不用发了，谢谢", ReplyIntent.OptOut, "optout.dont.send" },
        { "别联系我", ReplyIntent.OptOut, "optout.dont.contact" },
        { "别再打扰我了", ReplyIntent.OptOut, "optout.dont.disturb" },
        { "请勿打扰", ReplyIntent.OptOut, "optout.dont.disturb" },
        { "勿扰", ReplyIntent.OptOut, "optout.wurao" },
        { "别骚扰我", ReplyIntent.OptOut, "optout.dont.harass" },
        { "不要退订", ReplyIntent.OptOut, "optout.negated" },
        { "不用担心发工资就还", ReplyIntent.Unknown, null },
        { "没发工资", ReplyIntent.Unknown, null },

        // 取消 alone is an opt-out (the Chinese CANCEL; nothing else to cancel; doubt → opt-out); with an object it is not.
        { "取消", ReplyIntent.OptOut, "optout.quxiao" },
        { "取消！", ReplyIntent.OptOut, "optout.quxiao" },
        { "取消分期", ReplyIntent.PlanRequest, "plan.fenqi" },

        // Chinese negation of the other intents; negated questions are rhetorical and keep their intent.
        { "没收到", ReplyIntent.Unknown, "confirm.negated" },
        { "还没收到短信", ReplyIntent.Unknown, "confirm.negated" },
        { "不要分期", ReplyIntent.Unknown, "plan.negated" },
        { "不需要延期", ReplyIntent.Unknown, "plan.negated" },
        { "不需要帮助", ReplyIntent.Unknown, "help.negated" },
        { "我没有投诉", ReplyIntent.Unknown, "complaint.negated" },
        { "这不是骚扰吗", ReplyIntent.Complaint, "complaint.saorao" },
        { "不能延期吗", ReplyIntent.PlanRequest, "plan.yanqi" },
        { "能不能分期", ReplyIntent.PlanRequest, "plan.fenqi" },
        { "还没还 想分期", ReplyIntent.PlanRequest, "plan.fenqi" },
        { "还没还，能分期吗", ReplyIntent.PlanRequest, "plan.fenqi" },

        // Mixed languages.
        { "我 not paid", ReplyIntent.NotPaidYet, "paid.negated" },
        { "没有 paid", ReplyIntent.NotPaidYet, "paid.negated" },
        { "not 已还", ReplyIntent.NotPaidYet, "paid.negated" },
        { "maybe 已经还了", ReplyIntent.Unknown, "paid.hedged" },
        { "don't 发了", ReplyIntent.OptOut, "optout.dont.send" },
        { "已还 thanks", ReplyIntent.ClaimsPaid, "paid.yihuan" },
        { "还没还 STOP", ReplyIntent.OptOut, "optout.stop" },
        { "ＳＴＯＰ　别发了", ReplyIntent.OptOut, "optout.stop" },
    };

    [Theory]
    [MemberData(nameof(Phrasings))]
    public void NegationsHedgesAndProhibitions(string text, ReplyIntent intent, string? ruleId)
    {
        var result = ReplyClassifier.Classify(text);

        Assert.True(intent == result.Intent && ruleId == result.Rule?.Id,
            $"'{text}' → {result.Intent} via {result.Rule?.Id ?? "no rule"}, expected {intent} via {ruleId ?? "no rule"}");
        Assert.Equal(intent, result.Rule?.Intent ?? ReplyIntent.Unknown);
    }

    [Fact]
    public void PhrasingTableHasSixtyRowsAtLeastHalfChinese()
    {
        var texts = Phrasings.Select(row => (string)row[0]).ToList();

        Assert.True(texts.Count >= 60, $"{texts.Count} phrasings");
        Assert.True(texts.Count(text => text.Any(c => c is >= '\u4E00' and <= '\u9FFF')) * 2 >= texts.Count);
    }

    [Fact]
    public void NegatedMatchNamesTheNegationRuleTheRuleItNegatedAndTheCue()
    {
        var english = ReplyClassifier.Classify("I haven't paid yet");
        var chinese = ReplyClassifier.Classify("我好像还了");

        Assert.Equal(("paid.negated", ReplyMatchKind.Negated, "ClaimsPaid"), (english.Rule!.Id, english.Rule.Kind, english.Rule.Pattern));
        Assert.Equal(("paid.paid", "HAVENT"), (english.Underlying!.Id, english.Cue));
        Assert.Equal(("paid.hedged", "paid.huanle", "好像"), (chinese.Rule!.Id, chinese.Underlying!.Id, chinese.Cue));
        Assert.Null(ReplyClassifier.Classify("paid").Underlying);
    }

    [Fact]
    public void EveryModifierRowNamesAnIntentAndEveryIntentButUnknownHasAPrecedence()
    {
        foreach (var rule in ReplyRules.Default.Where(rule => rule.Kind is ReplyMatchKind.Negated or ReplyMatchKind.Hedged))
        {
            Assert.True(Enum.TryParse<ReplyIntent>(rule.Pattern, out var intent) && Enum.IsDefined(intent), rule.Id);
        }

        Assert.Equal(Enum.GetValues<ReplyIntent>().Where(intent => intent != ReplyIntent.Unknown).Order(), ReplyRules.Precedence.Order());
    }

    /// <summary>History records names, but nothing may renumber the intents: new ones are appended.</summary>
    [Fact]
    public void IntentNumbersAreStable()
    {
        Assert.Equal(
            new[] { (0, "Unknown"), (1, "Confirm"), (2, "PlanRequest"), (3, "ClaimsPaid"), (4, "OptOut"), (5, "OptIn"), (6, "Help"), (7, "Complaint"), (8, "NotPaidYet") },
            Enum.GetValues<ReplyIntent>().Select(intent => ((int)intent, intent.ToString())));
    }

    [Fact]
    public void ATableWithoutModifierRowsIgnoresNegation()
    {
        ReplyRule[] rules = [new("paid.paid", ReplyIntent.ClaimsPaid, ReplyMatchKind.Word, "PAID")];

        Assert.Equal(ReplyIntent.ClaimsPaid, ReplyClassifier.Classify("not paid", rules).Intent);
        Assert.Equal(ReplyIntent.NotPaidYet, ReplyClassifier.Classify("not paid", [.. rules, new("paid.no", ReplyIntent.NotPaidYet, ReplyMatchKind.Negated, "ClaimsPaid")]).Intent);
    }

    [Fact]
    public void LongRepliesAreClassified()
    {
        var text = string.Concat(Enumerable.Repeat("I have not paid 还没还 maybe ", 5_000)) + "STOP";

        Assert.Equal(ReplyIntent.OptOut, ReplyClassifier.Classify(text).Intent);
        Assert.Equal(ReplyIntent.NotPaidYet, ReplyClassifier.Classify(text[..^4]).Intent);
    }

    [Property(MaxTest = 500)]
    public Property StopFollowedByPunctuationOrSpaceIsOptOut()
    {
        var stop = Gen.Elements("STOP", "stop", "Stop", "sToP", "ＳＴＯＰ", "Ｓｔｏｐ", "ｓｔｏｐ");
        var separator = Gen.Elements(" ", ".", ",", "!", "?", ";", ":", "-", "。", "，", "！", "\t", "\n", "　", "…", "~");
        var lead = Gen.Elements("", " ", "  ", "\"", "(", "¡", "\n");
        var messages =
            from before in lead
            from keyword in stop
            from sep in separator
            from rest in ArbMap.Default.GeneratorFor<string>()
            select before + keyword + sep + rest;
        return Prop.ForAll(messages.ToArbitrary(), text => ReplyClassifier.Classify(text).Intent == ReplyIntent.OptOut);
    }

    /// <summary>
    /// A negation before any paid claim, in either language, with random case, full-width letters, whitespace
    /// and surrounding punctuation, is never ClaimsPaid. The negation may follow a subject (I, 我), as it does in
    /// speech. No , . ; : ! ? 。 、 goes between the negation and the claim: they end its clause, and "No, I paid" or
    /// "不，已经还了" are firm claims.
    /// </summary>
    [Property(MaxTest = 1000)]
    public Property NegatedPaidClaimsAreNeverClaimsPaid()
    {
        var messages =
            from subject in Gen.Elements("", "I ", "i ", "我", "我们", "我 ")
            from negation in Gen.Elements(Negations)
            from claim in Gen.Elements(PaidPhrasings)
            from gap in Gen.Elements(Latin(negation[^1]) && Latin(claim[0]) ? LatinGaps : AnyGaps)
            from lead in Gen.Elements(Leads)
            from tail in Gen.Elements([.. Tails, "?", "？", "吗", "吧"])
            from seed in Gen.Choose(0, int.MaxValue)
            select lead + Mangle(subject + negation + gap + claim, seed) + tail;
        return Prop.ForAll(messages.ToArbitrary(), text =>
        {
            var result = ReplyClassifier.Classify(text);
            return (result.Intent != ReplyIntent.ClaimsPaid).Label($"'{text}' → {result.Intent} via {result.Rule?.Id}");
        });
    }

    /// <summary>The same claims without the negation are claims: the property above is not vacuous.</summary>
    [Property(MaxTest = 300)]
    public Property PaidClaimsGeneratedAlikeAreClaimsPaid()
    {
        var messages =
            from subject in Gen.Elements("", "I ", "我")
            from claim in Gen.Elements(PaidPhrasings)
            from lead in Gen.Elements(Leads)
            from tail in Gen.Elements(Tails)
            from seed in Gen.Choose(0, int.MaxValue)
            select lead + Mangle(subject + claim, seed) + tail;
        return Prop.ForAll(messages.ToArbitrary(), text =>
        {
            var result = ReplyClassifier.Classify(text);
            return (result.Intent == ReplyIntent.ClaimsPaid).Label($"'{text}' → {result.Intent} via {result.Rule?.Id}");
        });
    }

    [Property(MaxTest = 300)]
    public bool ClassificationNeverThrowsOnArbitraryText(string text)
    {
        return Enum.IsDefined(ReplyClassifier.Classify(text).Intent);
    }

    private static readonly string[] PaidPhrasings =
    [
        "paid", "already paid", "paid already", "paid in full", "paid it yesterday", "fully paid", "have paid",
        "have already paid", "paid off",
        "已还", "已还款", "已经还了", "已经还清", "还清了", "还了", "已付", "付清了", "已结清", "全部还清了",
    ];

    private static readonly string[] Negations =
    [
        "not", "not yet", "haven't", "haven’t", "havent", "hasn't", "didn't", "did not", "have not", "never",
        "没", "没有", "还没", "还没有", "未", "不是", "并没有", "从来没",
    ];

    private static readonly string[] LatinGaps = [" ", "  ", "\t", "\u3000", "\n", " \u00A0"];

    private static readonly string[] AnyGaps = ["", " ", "\u3000", "  "];

    private static readonly string[] Leads = ["", " ", "\"", "“", "(", "……", "🙏 "];

    private static readonly string[] Tails = ["", "!", "!!", "。", "...", "~", "😅", "\"", "！", " ", "!?"];

    private static bool Latin(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '\'' or '’';

    // Random case for every Latin letter and, for one seed in four, full-width letters.
    private static string Mangle(string text, int seed)
    {
        var random = new Random(seed);
        var wide = seed % 4 == 0;
        return string.Concat(text.Select(c =>
        {
            var letter = char.IsAsciiLetter(c) ? (random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)) : c;
            return wide && char.IsAsciiLetter(letter) ? (char)(letter - 'A' + 'Ａ') : letter;
        }));
    }

    private static void AssertIntent(ReplyIntent expected, string text)
    {
        var result = ReplyClassifier.Classify(text);

        Assert.True(expected == result.Intent, $"'{text}' → {result.Intent} via {result.Rule?.Id}, expected {expected}");
        Assert.NotNull(result.Rule);
        Assert.Equal(expected, result.Rule.Intent);
    }
}
