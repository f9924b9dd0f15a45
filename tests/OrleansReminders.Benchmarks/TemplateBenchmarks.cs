using BenchmarkDotNet.Attributes;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Benchmarks;

/// <summary>
/// Rendering an approved template for sending (the body parsed once as Liquid and the parsed Fluid template
/// cached and rendered from, as in the service), linting a
/// template (done once, at approval) and counting SMS segments, for an English and a Chinese template.
/// The baseline is plain string concatenation of the same message.
/// </summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private const string EnglishBody =
        "Hi {{name}}, your payment of {{amount}} was due on {{dueDate}} and is now {{daysOverdue}} days overdue. " +
        "Pay via {{repaymentMethods}} or call {{hotline}}. Reply STOP to opt out. Acme Finance";

    private const string ChineseBody =
        "【Acme金融】{{name}}您好，您于{{dueDate}}到期的{{amount}}已逾期{{daysOverdue}}天，请通过{{repaymentMethods}}还款，客服{{hotline}}。回复TD退订";

    private readonly TemplateRenderer _renderer = new();
    private readonly HandlebarsRenderer _handlebars = new();
    private readonly TemplateValueFormatter _formatter = new(TemplateReferenceData.Default);
    private readonly TemplateLinter _linter = new();
    private readonly TemplateLintOptions _lintOptions = new() { BrandSignature = "Acme Finance", RequireOptOutHint = true };
    private readonly TemplateValues _values = new("Li Wei", 1234.50m, "CNY", new LocalDate(2026, 3, 9), 7, "Alipay, bank transfer", "400-800-1234");
    private MessageTemplate _english = null!;
    private MessageTemplate _chinese = null!;
    private string _renderedChinese = "";

    [GlobalSetup]
    public void Setup()
    {
        _english = Approved(EnglishBody, "en-US");
        _chinese = Approved(ChineseBody, "zh-CN");
        _renderedChinese = _renderer.RenderForSending(_chinese, _values).Text;
    }

    [Benchmark(Baseline = true)]
    public string ConcatenateBaseline() =>
        "Hi " + _values.Name + ", your payment of " + _values.AmountDue.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) +
        " was due on " + _values.DueDate.ToString("yyyy-MM-dd", null) + " and is now " + _values.DaysOverdue + " days overdue.";

    [Benchmark]
    public RenderedMessage RenderEnglish() => _renderer.RenderForSending(_english, _values);

    [Benchmark]
    public RenderedMessage RenderChinese() => _renderer.RenderForSending(_chinese, _values);

    [Benchmark]
    public RenderedMessage HandlebarsRenderEnglish() => _handlebars.Render(_english, _values);

    [Benchmark]
    public RenderedMessage HandlebarsRenderChinese() => _handlebars.Render(_chinese, _values);

    /// <summary>The part both renderers share: formatting the values for the locale (the engine's part is the rest).</summary>
    [Benchmark]
    public IReadOnlyDictionary<string, string> RenderFormatValuesEnglish() => _formatter.Format(_values, "en-US");

    [Benchmark]
    public SmsSegmentInfo CountSegmentsChinese() => SmsSegmentCounter.Count(_renderedChinese);

    [Benchmark]
    public TemplateLintReport LintEnglish() => _linter.Lint(_english, _lintOptions);

    private MessageTemplate Approved(string body, string locale)
    {
        var draft = MessageTemplate.CreateDraft(new TemplateKey("overdue.first", RiskTier.Medium, locale, TemplateKey.DefaultVariant), body, maxSegments: 3);
        var approval = draft.Approve("bench", Instant.FromUtc(2026, 1, 1, 0, 0), _linter, _lintOptions with { BrandSignature = locale == "zh-CN" ? null : "Acme Finance" });
        return approval.IsApproved
            ? approval.Template
            : throw new InvalidOperationException("benchmark template did not pass lint: " + string.Join("; ", approval.Report.Errors.Select(e => e.Message)));
    }

    /// <summary>
    /// The renderer before issue 14, as it was (commit 8b2dd0f): Handlebars.Net in an isolated environment, the body
    /// compiled once and cached, the same value formatting, missing-value check and segment count; the baseline
    /// the Fluid render is measured against in the same run.
    /// </summary>
    private sealed class HandlebarsRenderer
    {
        private readonly HandlebarsDotNet.IHandlebars _handlebars = HandlebarsDotNet.Handlebars.Create(new HandlebarsDotNet.HandlebarsConfiguration
        {
            NoEscape = true,
            ThrowOnUnresolvedBindingExpression = true,
        });

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (IReadOnlyList<string> Placeholders, HandlebarsDotNet.HandlebarsTemplate<object, object> Template)> _compiled = new(StringComparer.Ordinal);
        private readonly TemplateValueFormatter _formatter = new(TemplateReferenceData.Default);

        public RenderedMessage Render(MessageTemplate template, TemplateValues values)
        {
            var compiled = _compiled.GetOrAdd(template.Body, body => (TemplateSyntax.Parse(body).Placeholders, _handlebars.Compile(body)));
            var formatted = _formatter.Format(values, template.Key.Locale);
            var missing = compiled.Placeholders.Where(p => !formatted.ContainsKey(p)).Select(p => new FieldError($"values.{p}", "missing")).ToList();
            if (missing.Count > 0)
            {
                throw new DomainValidationException(missing);
            }

            var text = compiled.Template(formatted.ToDictionary(p => p.Key, p => (object)p.Value));
            return new RenderedMessage(text, SmsSegmentCounter.Count(text, SmsSegmentLimits.Default));
        }
    }
}
