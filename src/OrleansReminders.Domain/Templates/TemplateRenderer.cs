using System.Collections.Concurrent;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>A rendered message and its SMS encoding and segment count.</summary>
public sealed record RenderedMessage(string Text, SmsSegmentInfo Segments);

/// <summary>
/// Renders Liquid templates with Fluid. Each distinct body is parsed once by <see cref="TemplateSyntax"/>
/// (which accepts only text and <c>{{ placeholder }}</c> outputs) and the parsed template is cached (up to
/// 1,024 bodies) and rendered from; a body is never parsed again per render. Rendering reuses one Fluid
/// context and output buffer per thread (<see cref="RenderScratch"/>, which also holds the locked-down Fluid
/// options). Thread-safe.
/// </summary>
public sealed class TemplateRenderer
{
    // Enough for every live template; edited drafts previewed many times must not grow the cache without bound.
    private const int DefaultMaxCachedBodies = 1024;

    private readonly ConcurrentDictionary<string, ParsedTemplate> _compiled = new(StringComparer.Ordinal);
    private readonly TemplateValueFormatter _formatter;
    private readonly SmsSegmentLimits _limits;
    private readonly int _maxCachedBodies;

    public TemplateRenderer()
        : this(TemplateReferenceData.Default)
    {
    }

    public TemplateRenderer(TemplateReferenceData data, SmsSegmentLimits? limits = null)
        : this(data, limits, DefaultMaxCachedBodies)
    {
    }

    internal TemplateRenderer(TemplateReferenceData data, SmsSegmentLimits? limits, int maxCachedBodies)
    {
        _formatter = new TemplateValueFormatter(data);
        _limits = limits ?? SmsSegmentLimits.Default;
        _maxCachedBodies = maxCachedBodies;
    }

    internal int CachedBodyCount => _compiled.Count;

    /// <summary>Renders an approved template for sending.</summary>
    /// <exception cref="TemplateNotSendableException">The template is a draft or retired.</exception>
    /// <exception cref="DomainValidationException">Invalid values, or a value the template uses is missing.</exception>
    public RenderedMessage RenderForSending(MessageTemplate template, TemplateValues values)
    {
        if (template.Status != TemplateStatus.Approved)
        {
            throw new TemplateNotSendableException(template.Key, template.Status);
        }

        return Render(template.Body, template.Key.Locale, values);
    }

    /// <summary>Renders a template of any status for review; never use the result for sending.</summary>
    /// <exception cref="DomainValidationException">Body syntax errors (path <c>body</c>) or invalid values.</exception>
    public RenderedMessage RenderPreview(MessageTemplate template, TemplateValues values) =>
        Render(template.Body, template.Key.Locale, values);

    internal RenderedMessage Render(string body, string locale, TemplateValues values)
    {
        if (!_compiled.TryGetValue(body, out var parsed))
        {
            if (_compiled.Count >= _maxCachedBodies)
            {
                _compiled.Clear();
            }

            parsed = _compiled.GetOrAdd(body, TemplateSyntax.Parse);
        }

        return Render(parsed, locale, values);
    }

    /// <summary>Renders an already parsed body (the linter parses once and renders the worst case from it).</summary>
    /// <exception cref="DomainValidationException">Body syntax errors, invalid values, or values the body uses missing (all named).</exception>
    internal RenderedMessage Render(ParsedTemplate parsed, string locale, TemplateValues values)
    {
        if (parsed.Liquid is not { } liquid)
        {
            throw new DomainValidationException(parsed.Findings.Select(f => new FieldError("body", f.Message)).ToList());
        }

        var formatted = _formatter.Format(values, locale);
        var text = RenderScratch.ForThisThread().Render(liquid, parsed.Placeholders, formatted);
        return new RenderedMessage(text, SmsSegmentCounter.Count(text, _limits));
    }
}
