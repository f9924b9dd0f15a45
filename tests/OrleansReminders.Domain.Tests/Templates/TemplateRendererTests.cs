using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class TemplateRendererTests
{
    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public void ZhCnFormatsYuanAndChineseDate()
    {
        var template = TemplateSamples.Approved(TemplateSamples.ZhBody, "zh-CN");

        var message = _renderer.RenderForSending(template, TemplateSamples.Values("CNY"));

        Assert.Equal(
            "【Acme】Li Lei您好，您的借款¥1,234.50已于2025年3月9日到期，已逾期3天。还款方式：bank transfer。客服400-123-4567，回TD退订",
            message.Text);
        Assert.Equal(SmsEncoding.Ucs2, message.Segments.Encoding);
    }

    [Fact]
    public void EnUsFormatsDollarsAndShortMonthDate()
    {
        var template = TemplateSamples.Approved(TemplateSamples.EnBody);

        var message = _renderer.RenderForSending(template, TemplateSamples.Values());

        Assert.Equal(
            "Acme Finance: Li Lei, $1,234.50 was due Mar 9, 2025 (3 days ago). Pay: https://pay.example.com/x Help: 400-123-4567. Reply STOP to opt out.",
            message.Text);
        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Gsm7, message.Text.Length, 1), message.Segments);
    }

    [Theory]
    [InlineData("en-US", "CNY", 1234.5, "CN¥1,234.50")]
    [InlineData("zh-CN", "USD", 1234.5, "US$1,234.50")]
    [InlineData("en-US", "JPY", 1234.5, "JPY 1,235")]
    [InlineData("en-US", "USD", 1234567.891, "$1,234,567.89")]
    [InlineData("en-IN", "INR", 1234567.5, "Rs.12,34,567.50")]
    public void MoneyUsesLocaleGroupingAndTheCurrencySymbolForThatLocale(string locale, string currency, double amount, string expected)
    {
        var values = TemplateSamples.Values(currency) with { AmountDue = (decimal)amount };

        var formatted = new TemplateValueFormatter(TemplateReferenceData.Default).Format(values, locale);

        Assert.Equal(expected, formatted[TemplatePlaceholders.Amount]);
        Assert.Equal(currency, formatted[TemplatePlaceholders.Currency]);
    }

    [Theory]
    [InlineData("en-US", 2025, 12, 31, "Dec 31, 2025")]
    [InlineData("zh-CN", 2025, 12, 31, "2025年12月31日")]
    [InlineData("en-IN", 2026, 1, 5, "5 Jan 2026")]
    public void DueDateUsesTheLocalePattern(string locale, int year, int month, int day, string expected)
    {
        var values = TemplateSamples.Values() with { DueDate = new LocalDate(year, month, day) };

        var formatted = new TemplateValueFormatter(TemplateReferenceData.Default).Format(values, locale);

        Assert.Equal(expected, formatted[TemplatePlaceholders.DueDate]);
    }

    [Fact]
    public void RenderingADraftForSendingIsRefused()
    {
        var draft = TemplateSamples.Draft(TemplateSamples.EnBody);

        var error = Assert.Throws<TemplateNotSendableException>(() => _renderer.RenderForSending(draft, TemplateSamples.Values()));

        Assert.Equal(TemplateStatus.Draft, error.Status);
        Assert.Contains("only approved templates", error.Message);
    }

    [Fact]
    public void RenderingARetiredTemplateForSendingIsRefused()
    {
        var retired = TemplateSamples.Approved(TemplateSamples.EnBody).Retire("ops@acme", TemplateSamples.Now);

        var error = Assert.Throws<TemplateNotSendableException>(() => _renderer.RenderForSending(retired, TemplateSamples.Values()));

        Assert.Equal(TemplateStatus.Retired, error.Status);
    }

    [Fact]
    public void PreviewRendersADraft()
    {
        var draft = TemplateSamples.Draft("Hi {{name}}, {{amount}} due {{dueDate}}");

        var message = _renderer.RenderPreview(draft, TemplateSamples.Values());

        Assert.Equal("Hi Li Lei, $1,234.50 due Mar 9, 2025", message.Text);
    }

    [Fact]
    public void PreviewOfABrokenBodyReportsEveryProblemOnTheBody()
    {
        var draft = TemplateSamples.Draft("Hi {{Name}} {{#if link}}x{{/if}} {{foo}}");

        var error = Assert.Throws<DomainValidationException>(() => _renderer.RenderPreview(draft, TemplateSamples.Values()));

        Assert.Equal(4, error.Errors.Count);
        Assert.All(error.Errors, e => Assert.Equal("body", e.Path));
        Assert.Contains(error.Errors, e => e.Message.Contains("did you mean 'name'?"));
    }

    [Fact]
    public void MissingOptionalValueUsedByTheTemplateIsAValidationError()
    {
        var template = TemplateSamples.Approved(TemplateSamples.EnBody);
        var values = TemplateSamples.Values() with { Link = null, Hotline = " " };

        var error = Assert.Throws<DomainValidationException>(() => _renderer.RenderForSending(template, values));

        Assert.Equal(["values.hotline", "values.link"], error.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void InvalidValuesAreAllReported()
    {
        var values = TemplateSamples.Values() with { Name = "", AmountDue = -1, Currency = "usd", DaysOverdue = -2 };

        var error = Assert.Throws<DomainValidationException>(() => new TemplateValueFormatter(TemplateReferenceData.Default).Format(values, "fr-FR"));

        Assert.Equal(
            ["locale", "values.name", "values.amountDue", "values.currency", "values.daysOverdue"],
            error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void ValuesThatLookLikePlaceholdersAreNotExpandedAndLoseTheirBraces()
    {
        var template = TemplateSamples.Draft("Hi {{name}}, call {{hotline}}");
        var values = TemplateSamples.Values() with { Name = "{{amount}}", Hotline = "x}}\n{y" };

        var message = _renderer.RenderPreview(template, values);

        Assert.Equal("Hi ((amount)), call x)) (y", message.Text);
    }

    [Fact]
    public void SameBodyIsRenderedConsistentlyFromTheCache()
    {
        var template = TemplateSamples.Draft("{{name}} owes {{amount}}");

        var first = _renderer.RenderPreview(template, TemplateSamples.Values());
        var second = _renderer.RenderPreview(template, TemplateSamples.Values() with { Name = "Han Meimei" });

        Assert.Equal("Li Lei owes $1,234.50", first.Text);
        Assert.Equal("Han Meimei owes $1,234.50", second.Text);
    }

    [Fact]
    public void CompiledBodyCacheIsBounded()
    {
        var renderer = new TemplateRenderer(TemplateReferenceData.Default, null, maxCachedBodies: 2);

        var texts = new[] { "a {{name}}", "b {{name}}", "c {{name}}", "a {{name}}" }
            .Select(body => renderer.RenderPreview(TemplateSamples.Draft(body), TemplateSamples.Values()).Text)
            .ToList();

        Assert.Equal(["a Li Lei", "b Li Lei", "c Li Lei", "a Li Lei"], texts);
        Assert.InRange(renderer.CachedBodyCount, 1, 2);
    }

    [Fact]
    public void ManyRendersOnOneThreadStayWithinFluidsStepLimit()
    {
        // Each render takes a dozen steps; the limit is 10,000 per render, so a count that never restarted would trip it.
        var template = TemplateSamples.Approved(TemplateSamples.EnBody);
        var values = TemplateSamples.Values();
        var expected = _renderer.RenderForSending(template, values).Text;

        for (var i = 0; i < 3_000; i++)
        {
            Assert.Equal(expected, _renderer.RenderForSending(template, values).Text);
        }
    }

    [Fact]
    public void ALongMessageRendersInFullAndTheNextShortOneIsNotPadded()
    {
        var filler = string.Concat(Enumerable.Repeat("Please pay. ", 400));
        var longTemplate = TemplateSamples.Draft(filler + "{{name}}" + filler);

        var longText = _renderer.RenderPreview(longTemplate, TemplateSamples.Values()).Text;
        var shortText = _renderer.RenderPreview(TemplateSamples.Draft("Hi {{name}}"), TemplateSamples.Values()).Text;

        Assert.Equal(filler + "Li Lei" + filler, longText);
        Assert.Equal("Hi Li Lei", shortText);
    }

    [Fact]
    public void ConcurrentRendersKeepTheirOwnValues()
    {
        var template = TemplateSamples.Draft("{{name}} owes {{amount}}");
        var texts = new string[2_000];

        Parallel.For(0, texts.Length, i =>
            texts[i] = _renderer.RenderPreview(template, TemplateSamples.Values() with { Name = $"Borrower {i}" }).Text);

        Assert.All(Enumerable.Range(0, texts.Length), i => Assert.Equal($"Borrower {i} owes $1,234.50", texts[i]));
    }

    [Fact]
    public void NoBorrowersValueStaysInTheThreadsRenderStateAfterARender()
    {
        var template = TemplateSamples.Approved(TemplateSamples.EnBody);

        _renderer.RenderForSending(template, TemplateSamples.Values());
        var afterRender = RenderScratch.ForThisThread().HoldsNothing;
        Assert.Throws<DomainValidationException>(() => _renderer.RenderForSending(template, TemplateSamples.Values() with { Hotline = null }));
        var afterRefusal = RenderScratch.ForThisThread().HoldsNothing;

        Assert.True(afterRender);
        Assert.True(afterRefusal);
    }
}
