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

    [Property(MaxTest = 300)]
    public bool ClassificationNeverThrowsOnArbitraryText(string text)
    {
        return Enum.IsDefined(ReplyClassifier.Classify(text).Intent);
    }

    private static void AssertIntent(ReplyIntent expected, string text)
    {
        var result = ReplyClassifier.Classify(text);

        Assert.True(expected == result.Intent, $"'{text}' → {result.Intent} via {result.Rule?.Id}, expected {expected}");
        Assert.NotNull(result.Rule);
        Assert.Equal(expected, result.Rule.Intent);
    }
}
