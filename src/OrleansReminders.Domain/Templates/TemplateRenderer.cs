using System.Collections.Concurrent;
using HandlebarsDotNet;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>A rendered message and its SMS encoding and segment count.</summary>
public sealed record RenderedMessage(string Text, SmsSegmentInfo Segments);

/// <summary>
/// Renders templates with Handlebars.Net in an isolated environment (no helpers or partials registered, no
/// HTML escaping, unresolved bindings throw). Bodies are checked by our own scan first, so only plain
/// <c>{{placeholder}}</c> expressions reach the engine; each distinct body is compiled once and cached (up to 1,024 bodies).
/// Thread-safe.
/// </summary>
public sealed class TemplateRenderer
{
    // Enough for every live template; edited drafts previewed many times must not grow the cache without bound.
    private const int DefaultMaxCachedBodies = 1024;

    private readonly IHandlebars _handlebars = Handlebars.Create(new HandlebarsConfiguration
    {
        NoEscape = true,
        ThrowOnUnresolvedBindingExpression = true,
    });

    private readonly ConcurrentDictionary<string, CompiledBody> _compiled = new(StringComparer.Ordinal);
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
        if (!_compiled.TryGetValue(body, out var compiled))
        {
            if (_compiled.Count >= _maxCachedBodies)
            {
                _compiled.Clear();
            }

            compiled = _compiled.GetOrAdd(body, Compile);
        }

        if (compiled.Template is null)
        {
            throw new DomainValidationException(compiled.Parsed.Findings.Select(f => new FieldError("body", f.Message)).ToList());
        }

        var formatted = _formatter.Format(values, locale);
        var missing = compiled.Parsed.Placeholders
            .Where(p => !formatted.ContainsKey(p))
            .Select(p => new FieldError($"values.{p}", $"the template uses {{{{{p}}}}} but no value was given"))
            .ToList();
        if (missing.Count > 0)
        {
            throw new DomainValidationException(missing);
        }

        var text = compiled.Template(formatted.ToDictionary(p => p.Key, p => (object)p.Value));
        return new RenderedMessage(text, SmsSegmentCounter.Count(text, _limits));
    }

    private CompiledBody Compile(string body)
    {
        var parsed = TemplateSyntax.Parse(body);
        return parsed.Findings.Count > 0
            ? new CompiledBody(parsed, null)
            : new CompiledBody(parsed, _handlebars.Compile(body));
    }

    private sealed record CompiledBody(ParsedTemplate Parsed, HandlebarsTemplate<object, object>? Template);
}
