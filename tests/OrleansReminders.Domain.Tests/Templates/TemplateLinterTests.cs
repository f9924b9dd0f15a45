using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class TemplateLinterTests
{
    private static readonly TemplateLinter Linter = new();
    private static readonly TemplateLintOptions Relaxed = new() { RequireBrandSignature = false };

    private static IReadOnlyList<string> Codes(string body, TemplateLintOptions? options = null, string locale = "en-US", int maxSegments = 3) =>
        Linter.Lint(TemplateSamples.Draft(body, locale, maxSegments), options ?? Relaxed).Findings.Select(f => f.Code).ToList();

    [Fact]
    public void SampleTemplatesAreClean()
    {
        var en = Linter.Lint(TemplateSamples.Draft(TemplateSamples.EnBody), TemplateSamples.EnOptions);
        var zh = Linter.Lint(TemplateSamples.Draft(TemplateSamples.ZhBody, "zh-CN"), TemplateSamples.ZhOptions);

        Assert.Empty(en.Findings);
        Assert.Empty(zh.Findings);
        Assert.Equal(SmsEncoding.Gsm7, en.RawSegments!.Encoding);
        Assert.Equal(SmsEncoding.Ucs2, zh.WorstCase!.Segments.Encoding);
    }

    [Fact]
    public void EveryPlaceholderProblemIsReported()
    {
        var codes = Codes("Hi {{Name}}, {{balance}} {{#if link}}{{link}}{{/if}} {{name.length}} \\{{amount}} }} {{hotline");

        Assert.Equal(
            [
                LintCodes.PlaceholderUnknown, LintCodes.PlaceholderUnknown, LintCodes.PlaceholderUnsupported,
                LintCodes.PlaceholderUnsupported, LintCodes.PlaceholderUnsupported, LintCodes.PlaceholderEscaped,
                LintCodes.PlaceholderStrayClose, LintCodes.PlaceholderUnclosed,
            ],
            codes);
    }

    [Fact]
    public void TripleStashIsUnsupported()
    {
        Assert.Equal([LintCodes.PlaceholderUnsupported], Codes("Hi {{{name}}}"));
    }

    [Fact]
    public void AllowedPlaceholdersWithInnerSpacesAreAccepted()
    {
        Assert.Empty(Codes("Hi {{ name }}, {{amount}} {{currency}} {{dueDate}} {{daysOverdue}} {{repaymentMethods}} {{hotline}} {{link}}"));
    }

    [Theory]
    [InlineData("You idiot, pay now.", "wording.abuse")]
    [InlineData("You are an I.D.I.O.T.", "wording.abuse")]
    [InlineData("Pay or we will tell your employer.", "wording.thirdPartyDisclosure")]
    [InlineData("Pay or we will TELL   your,  EMPLOYER", "wording.thirdPartyDisclosure")]
    [InlineData("You may be arrested.", "wording.threat")]
    [InlineData("Ｉｄｉｏｔ", "wording.abuse")]
    [InlineData("你这个骗子", "wording.abuse")]
    [InlineData("我们将通知你的家人", "wording.thirdPartyDisclosure")]
    [InlineData("我们将 通 知，你的-家人", "wording.thirdPartyDisclosure")]
    [InlineData("逾期将被曝光", "wording.threat")]
    public void ForbiddenWordingIsFoundDespiteCaseSpacingAndPunctuation(string body, string code)
    {
        Assert.Contains(code, Codes(body));
    }

    [Theory]
    [InlineData("Late payment may affect your credit record and incur fees; we may take legal action.")]
    [InlineData("The barrister will call. Interest applies.")]
    [InlineData("逾期将影响您的征信记录，并可能依法起诉。")]
    public void LawfulConsequencesAndLookalikesAreNotFlagged(string body)
    {
        Assert.DoesNotContain(Codes(body), c => c.StartsWith(LintCodes.WordingPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void EnglishWordingIsCaughtInAChineseTemplate()
    {
        Assert.Contains("wording.abuse", Codes("【Acme】您好 idiot", locale: "zh-CN"));
    }

    [Fact]
    public void ConfiguredBrandSignatureIsRequired()
    {
        var options = new TemplateLintOptions { BrandSignature = "【Acme】" };

        Assert.Contains(LintCodes.RequiredBrand, Codes("【Other】您好", options, "zh-CN"));
        Assert.DoesNotContain(LintCodes.RequiredBrand, Codes("您好【Acme】", options, "zh-CN"));
    }

    [Fact]
    public void ChineseTemplateWithoutConfiguredBrandNeedsABracketSignature()
    {
        var options = new TemplateLintOptions();

        Assert.Contains(LintCodes.RequiredBrand, Codes("您好，请还款", options, "zh-CN"));
        Assert.DoesNotContain(LintCodes.RequiredBrand, Codes("【某某金融】您好，请还款", options, "zh-CN"));
    }

    [Fact]
    public void NonChineseTemplateWithoutConfiguredBrandIsAnError()
    {
        var finding = Linter.Lint(TemplateSamples.Draft("Hello"), new TemplateLintOptions()).Findings.Single();

        Assert.Equal(LintCodes.RequiredBrand, finding.Code);
        Assert.Contains("BrandSignature", finding.Message);
    }

    [Theory]
    [InlineData("Pay today. Reply STOP to opt out.", false)]
    [InlineData("Pay today. Txt stop to end", false)]
    [InlineData("Pay today. Don't stop now.", true)]
    [InlineData("请还款，回TD退订", false)]
    [InlineData("请还款", true)]
    public void OptOutHintIsRequiredWhenTheJurisdictionDemandsIt(string body, bool missing)
    {
        var options = Relaxed with { RequireOptOutHint = true };

        Assert.Equal(missing, Codes(body, options, body.Any(c => c > 0x2E80) ? "zh-CN" : "en-US").Contains(LintCodes.RequiredOptOut));
        Assert.DoesNotContain(LintCodes.RequiredOptOut, Codes(body));
    }

    [Fact]
    public void HotlinePlaceholderIsRequiredWhenConfigured()
    {
        var options = Relaxed with { RequireHotline = true };

        Assert.Contains(LintCodes.RequiredHotline, Codes("Call 555-0100", options));
        Assert.DoesNotContain(LintCodes.RequiredHotline, Codes("Call {{hotline}}", options));
    }

    [Fact]
    public void EmptyBodyAndUnsupportedLocaleAreErrors()
    {
        Assert.Equal([LintCodes.BodyEmpty, LintCodes.LocaleUnsupported], Codes("  ", locale: "fr-FR"));
    }

    [Fact]
    public void RawTextOverTheSegmentMaximumIsAnError()
    {
        var report = Linter.Lint(TemplateSamples.Draft(new string('a', 161), maxSegments: 1), Relaxed);

        Assert.Equal([LintCodes.SegmentsRaw, LintCodes.SegmentsWorstCase], report.Findings.Select(f => f.Code));
        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Gsm7, 161, 2), report.RawSegments);
    }

    [Fact]
    public void WorstCaseValuesCanPushATemplateOverTheMaximum()
    {
        // 140 septets of text fit one SMS raw; the 24-character worst-case name does not.
        var body = "{{name}}" + new string('a', 140);

        var report = Linter.Lint(TemplateSamples.Draft(body, maxSegments: 1), Relaxed);

        Assert.Equal([LintCodes.SegmentsWorstCase], report.Findings.Select(f => f.Code));
        Assert.Equal(1, report.RawSegments!.Segments);
        Assert.Equal("Bartholomew Featherstone" + new string('a', 140), report.WorstCase!.Text);
        Assert.Equal(2, report.WorstCase.Segments.Segments);
    }

    [Fact]
    public void WorstCaseValuesCanBeOverridden()
    {
        var options = Relaxed with { WorstCaseValues = TemplateSamples.Values() with { Name = "Al" } };

        var report = Linter.Lint(TemplateSamples.Draft("{{name}}" + new string('a', 140), maxSegments: 1), options);

        Assert.Empty(report.Findings);
        Assert.Equal(142, report.WorstCase!.Segments.Units);
    }

    [Fact]
    public void ExtensionCharactersInTheRawTextCountDouble()
    {
        // 80 braces are 160 septets: still one SMS; one more character is two.
        Assert.DoesNotContain(LintCodes.SegmentsRaw, Codes(new string('[', 80), maxSegments: 1));
        Assert.Contains(LintCodes.SegmentsRaw, Codes(new string('[', 80) + "a", maxSegments: 1));
    }

    [Fact]
    public void UnicodeInAGsmLocaleIsAWarningNamingTheCharacters()
    {
        var report = Linter.Lint(TemplateSamples.Draft("Don’t miss your payment 😀"), Relaxed);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal(LintCodes.EncodingUcs2, finding.Code);
        Assert.Contains("'’' '😀'", finding.Message);
        Assert.False(report.HasErrors);
    }

    [Fact]
    public void EmailTemplatesSkipSegmentChecks()
    {
        var email = MessageTemplate.CreateDraft(new TemplateKey("s", RiskTier.High, "en-US", "a"), new string('a', 2000), 1, Channel.Email);

        var report = Linter.Lint(email, Relaxed);

        Assert.Empty(report.Findings);
        Assert.Null(report.RawSegments);
    }

    [Fact]
    public void AllFindingsAreReportedTogether()
    {
        var options = new TemplateLintOptions { BrandSignature = "Acme", RequireOptOutHint = true, RequireHotline = true };

        var codes = Codes("You idiot {{balance}}, we will tell your employer", options);

        Assert.Equal(
            [
                LintCodes.PlaceholderUnknown, "wording.abuse", "wording.thirdPartyDisclosure",
                LintCodes.RequiredBrand, LintCodes.RequiredOptOut, LintCodes.RequiredHotline,
            ],
            codes);
    }

    [Fact]
    public void InvalidSegmentLimitsFailLinting()
    {
        var options = Relaxed with { SegmentLimits = new SmsSegmentLimits { Ucs2Part = 1 } };

        var error = Assert.Throws<DomainValidationException>(() => Linter.Lint(TemplateSamples.Draft("x"), options));

        Assert.Equal("segmentLimits.ucs2Part", Assert.Single(error.Errors).Path);
    }
}
