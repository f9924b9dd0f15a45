using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Benchmarks.Templates;

/// <summary>
/// The renderer before issue 14, as it was (commit 8b2dd0f): Handlebars.Net in an isolated environment, the body
/// compiled once and cached, the same value formatting, missing-value check and segment count; the baseline
/// the Fluid render is measured against in the same run.
/// </summary>
internal sealed class HandlebarsRenderer
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
