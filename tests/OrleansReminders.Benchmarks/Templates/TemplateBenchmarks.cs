using BenchmarkDotNet.Attributes;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Benchmarks.Templates;

/// <summary>
/// Rendering an approved template for sending (the body parsed once as Liquid and the parsed Fluid template
/// cached and rendered from, as in the service), linting a
/// template (done once, at approval) and counting SMS segments, for an English and a Chinese template.
/// The baseline is plain string concatenation of the same message.
/// </summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private readonly TemplateRenderer _renderer = new();
    private readonly HandlebarsRenderer _handlebars = new();
    private readonly TemplateValueFormatter _formatter = new(TemplateReferenceData.Default);
    private readonly TemplateLinter _linter = new();
    private readonly TemplateLintOptions _lintOptions = BenchTemplates.LintOptions;
    private readonly TemplateValues _values = BenchTemplates.Values;
    private MessageTemplate _english = null!;
    private MessageTemplate _chinese = null!;
    private string _renderedChinese = "";

    [GlobalSetup]
    public void Setup()
    {
        _english = BenchTemplates.Approved(BenchTemplates.EnglishBody, "en-US", _linter);
        _chinese = BenchTemplates.Approved(BenchTemplates.ChineseBody, "zh-CN", _linter);
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
}
