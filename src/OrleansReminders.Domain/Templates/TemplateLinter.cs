using System.Text.RegularExpressions;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// Checks a template before approval and returns every finding at once: placeholder syntax and names,
/// forbidden wording (all languages' lists, see <c>Data/Templates/forbidden-wording.json</c>), required parts
/// (brand signature, opt-out hint, hotline), and for SMS the segment count of the raw body and of the body
/// rendered with worst-case values against the template's maximum.
/// </summary>
public sealed partial class TemplateLinter
{
    private const int MaxListedCharacters = 5;
    private readonly TemplateReferenceData _data;
    private readonly TemplateRenderer _renderer;

    public TemplateLinter()
        : this(TemplateReferenceData.Default)
    {
    }

    public TemplateLinter(TemplateReferenceData data)
    {
        _data = data;
        _renderer = new TemplateRenderer(data);
    }

    /// <exception cref="DomainValidationException">The options' segment limits are invalid.</exception>
    public TemplateLintReport Lint(MessageTemplate template, TemplateLintOptions options)
    {
        var limitErrors = options.SegmentLimits.Validate("segmentLimits");
        if (limitErrors.Count > 0)
        {
            throw new DomainValidationException(limitErrors);
        }

        var findings = new List<LintFinding>();
        var parsed = TemplateSyntax.Parse(template.Body);
        var profile = _data.FindLocale(template.Key.Locale);
        CheckBasics(template, parsed, profile, findings);
        var matcher = new WordingMatcher(template.Body);
        CheckWording(matcher, findings);
        CheckRequiredParts(template, parsed, matcher, options, findings);
        if (template.Channel != Channel.Sms)
        {
            return new TemplateLintReport(findings, null, null);
        }

        var raw = CheckRawSegments(template, options, profile, findings);
        var worst = parsed.Findings.Count == 0 && profile is not null
            ? CheckWorstCase(template, parsed, options, profile, findings)
            : null;
        return new TemplateLintReport(findings, raw, worst);
    }

    private void CheckBasics(MessageTemplate template, ParsedTemplate parsed, LocaleProfile? profile, List<LintFinding> findings)
    {
        if (string.IsNullOrWhiteSpace(template.Body))
        {
            findings.Add(LintFinding.Error(LintCodes.BodyEmpty, "the body is empty"));
        }

        findings.AddRange(parsed.Findings);
        if (profile is null)
        {
            var supported = string.Join(", ", _data.Locales.Keys.Order(StringComparer.Ordinal));
            findings.Add(LintFinding.Error(LintCodes.LocaleUnsupported, $"locale '{template.Key.Locale}' has no formatting profile; supported: {supported}"));
        }
    }

    private void CheckWording(WordingMatcher matcher, List<LintFinding> findings)
    {
        foreach (var list in _data.ForbiddenWording)
        {
            foreach (var term in list.Terms.Where(matcher.Contains))
            {
                findings.Add(LintFinding.Error(
                    LintCodes.WordingPrefix + list.Category,
                    $"forbidden {list.Category} wording '{term}' ({list.Language} list)"));
            }
        }
    }

    private void CheckRequiredParts(
        MessageTemplate template, ParsedTemplate parsed, WordingMatcher matcher, TemplateLintOptions options, List<LintFinding> findings)
    {
        if (options.RequireBrandSignature)
        {
            CheckBrand(template, options.BrandSignature, findings);
        }

        if (options.RequireOptOutHint && !_data.OptOutHints.Any(matcher.Contains))
        {
            findings.Add(LintFinding.Error(LintCodes.RequiredOptOut, "the jurisdiction requires an opt-out hint, e.g. 'Reply STOP to opt out' or '回TD退订'"));
        }

        if (options.RequireHotline && !parsed.Placeholders.Contains(TemplatePlaceholders.Hotline))
        {
            findings.Add(LintFinding.Error(LintCodes.RequiredHotline, "the template must include {{ hotline }}"));
        }
    }

    private static void CheckBrand(MessageTemplate template, string? signature, List<LintFinding> findings)
    {
        if (signature is not null)
        {
            if (!template.Body.Contains(signature, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(LintFinding.Error(LintCodes.RequiredBrand, $"the body must contain the brand signature '{signature}'"));
            }

            return;
        }

        var message = IsChinese(template.Key.Locale)
            ? BracketSignature().IsMatch(template.Body) ? null : "the body must contain a brand signature such as 【Brand】"
            : "no brand signature is configured for this locale (set TemplateLintOptions.BrandSignature)";
        if (message is not null)
        {
            findings.Add(LintFinding.Error(LintCodes.RequiredBrand, message));
        }
    }

    private static SmsSegmentInfo CheckRawSegments(
        MessageTemplate template, TemplateLintOptions options, LocaleProfile? profile, List<LintFinding> findings)
    {
        var raw = SmsSegmentCounter.Count(template.Body, options.SegmentLimits);
        if (raw.Segments > template.MaxSegments)
        {
            findings.Add(LintFinding.Error(LintCodes.SegmentsRaw, $"the raw text takes {Describe(raw)}; the maximum is {template.MaxSegments}"));
        }

        WarnIfUcs2(template.Body, "the body", profile, findings);
        return raw;
    }

    private RenderedMessage? CheckWorstCase(
        MessageTemplate template, ParsedTemplate parsed, TemplateLintOptions options, LocaleProfile profile, List<LintFinding> findings)
    {
        RenderedMessage rendered;
        try
        {
            rendered = _renderer.Render(parsed, template.Key.Locale, options.WorstCaseValues ?? profile.WorstCase);
        }
        catch (DomainValidationException e)
        {
            findings.AddRange(e.Errors.Select(err => LintFinding.Error(LintCodes.SegmentsWorstCase, $"worst-case values cannot be rendered: {err}")));
            return null;
        }

        var segments = SmsSegmentCounter.Count(rendered.Text, options.SegmentLimits);
        if (segments.Segments > template.MaxSegments)
        {
            findings.Add(LintFinding.Error(LintCodes.SegmentsWorstCase, $"with worst-case values the message takes {Describe(segments)}; the maximum is {template.MaxSegments}"));
        }

        if (SmsSegmentCounter.DetectEncoding(template.Body) == SmsEncoding.Gsm7)
        {
            WarnIfUcs2(rendered.Text, "the worst-case rendering", profile, findings);
        }

        return rendered with { Segments = segments };
    }

    private static void WarnIfUcs2(string text, string what, LocaleProfile? profile, List<LintFinding> findings)
    {
        if (profile is not { GsmExpected: true } || SmsSegmentCounter.DetectEncoding(text) == SmsEncoding.Gsm7)
        {
            return;
        }

        var characters = string.Join(" ", SmsSegmentCounter.NonGsmCharacters(text).Take(MaxListedCharacters).Select(c => $"'{c}'"));
        findings.Add(LintFinding.Warning(LintCodes.EncodingUcs2, $"{what} needs UCS-2 (70 characters per SMS) because of {characters}"));
    }

    private static string Describe(SmsSegmentInfo info) =>
        $"{info.Segments} segment(s) ({info.Encoding}, {info.Units} units)";

    private static bool IsChinese(string locale) =>
        locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("【[^】]+】")]
    private static partial Regex BracketSignature();
}
