using Fluid;
using Fluid.Ast;
using Fluid.Parser;

namespace OrleansReminders.Domain.Templates;

/// <summary>One piece of a template body: literal text or a placeholder name.</summary>
internal sealed record TemplatePart(bool IsPlaceholder, string Text);

/// <summary>
/// A body split into parts, with every syntax finding (empty when the body is well formed) and, when it is
/// well formed, the parsed Liquid template that renders it (parsed once, here).
/// </summary>
internal sealed record ParsedTemplate(IReadOnlyList<TemplatePart> Parts, IReadOnlyList<LintFinding> Findings, IFluidTemplate? Liquid)
{
    /// <summary>The distinct placeholder names the body uses, in order of first use.</summary>
    public IReadOnlyList<string> Placeholders { get; } = [.. Parts.Where(p => p.IsPlaceholder).Select(p => p.Text).Distinct()];
}

/// <summary>
/// Parses a body as Liquid with Fluid and accepts only the logic-less subset: literal text and
/// <c>{{ name }}</c> outputs of a name from <see cref="TemplatePlaceholders"/> (exact case, inner spaces
/// optional). Placeholder names come from the parsed Liquid syntax tree. Filters, tags (<c>{% … %}</c>),
/// member paths, indexers, literals, whitespace control (<c>{{-</c>, <c>-}}</c>), triple braces and
/// <c>\{{</c> are refused, so no literal <c>{{</c> can reach the output.
/// A lexical scan runs first; when it finds a problem (or Fluid cannot parse the body), every expression
/// is parsed on its own so that all findings are reported at once, in body order.
/// </summary>
internal static class TemplateSyntax
{
    private static readonly FluidParser Parser = new(new FluidParserOptions
    {
        AllowFunctions = false,
        AllowParentheses = false,
        AllowLiquidTag = false,
    });

    public static ParsedTemplate Parse(string body)
    {
        var lexical = new List<LintFinding>();
        var spans = new List<(int Open, int End)>();
        Scan(body, lexical, spans, parts: null);
        if (lexical.Count == 0
            && Parser.TryParse(body, out var liquid, out _)
            && FromSyntaxTree(body, liquid, spans) is { } parsed)
        {
            return parsed;
        }

        var findings = new List<LintFinding>();
        var diagnosticParts = new List<TemplatePart>();
        Scan(body, findings, spans: null, diagnosticParts);
        if (findings.Count == 0)
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderUnsupported, "the body is not a valid template: only text and placeholders such as {{ name }} are allowed"));
        }

        return new ParsedTemplate(diagnosticParts, findings, null);
    }

    /// <summary>Parts and findings from the Liquid syntax tree; null when it does not match the scanned expressions.</summary>
    private static ParsedTemplate? FromSyntaxTree(string body, IFluidTemplate liquid, List<(int Open, int End)> spans)
    {
        if (liquid is not FluidTemplate { Statements: var statements })
        {
            return null;
        }

        var parts = new List<TemplatePart>();
        var findings = new List<LintFinding>();
        var output = 0;
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case TextSpanStatement { StripLeft: false, StripRight: false } text:
                    parts.Add(new TemplatePart(false, text.Text.ToString()));
                    break;
                case OutputStatement { Filters: null or { Count: 0 } } o when output < spans.Count:
                    var (open, end) = spans[output++];
                    if (Classify(o.Expression, body[open..end], open, findings) is { } name)
                    {
                        parts.Add(new TemplatePart(true, name));
                    }

                    break;
                default:
                    return null;
            }
        }

        return output == spans.Count
            ? new ParsedTemplate(parts, findings, findings.Count == 0 ? liquid : null)
            : null;
    }

    /// <summary>
    /// Scans <c>{{ … }}</c> and <c>{% … %}</c>. With <paramref name="spans"/> it only records the output
    /// expressions and lexical problems; with <paramref name="parts"/> it also parses and classifies each expression.
    /// </summary>
    private static void Scan(string body, List<LintFinding> findings, List<(int Open, int End)>? spans, List<TemplatePart>? parts)
    {
        var i = 0;
        while (i < body.Length)
        {
            var open = NextOpening(body, i);
            if (open < 0)
            {
                AddLiteral(parts, findings, body[i..]);
                break;
            }

            AddLiteral(parts, findings, body[i..open]);
            i = body[open + 1] == '%'
                ? ScanTag(body, open, findings)
                : ScanOutput(body, open, findings, spans, parts);
        }
    }

    private static int NextOpening(string body, int from)
    {
        var output = body.IndexOf("{{", from, StringComparison.Ordinal);
        var tag = body.IndexOf("{%", from, StringComparison.Ordinal);
        return output < 0 ? tag : tag < 0 ? output : Math.Min(output, tag);
    }

    private static int ScanTag(string body, int open, List<LintFinding> findings)
    {
        var close = body.IndexOf("%}", open + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderUnclosed, $"'{{%' at {open} has no closing '%}}'"));
            return body.Length;
        }

        var end = close + 2;
        findings.Add(LintFinding.Error(
            LintCodes.PlaceholderUnsupported,
            $"'{body[open..end]}' at {open}: Liquid tags (if, for, assign, capture, raw, comment, …) are not allowed; a template is text and placeholders such as {{{{ name }}}}"));
        return end;
    }

    private static int ScanOutput(string body, int open, List<LintFinding> findings, List<(int Open, int End)>? spans, List<TemplatePart>? parts)
    {
        if (open > 0 && body[open - 1] == '\\')
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderEscaped, $"escaped '\\{{{{' at {open - 1} would send a backslash and the value"));
        }

        var close = body.IndexOf("}}", open + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderUnclosed, $"'{{{{' at {open} has no closing '}}}}'"));
            return body.Length;
        }

        var end = close + 2;
        var inner = body[(open + 2)..close];
        var source = body[open..end];
        if (inner.StartsWith('{') || (end < body.Length && body[end] == '}'))
        {
            findings.Add(Unsupported(source, open, "triple braces are not Liquid; write {{ name }}"));
        }
        else if (inner.StartsWith('-') || inner.EndsWith('-'))
        {
            findings.Add(Unsupported(source, open, "whitespace control ({{- or -}}) is not allowed: the text is sent as written"));
        }
        else if (parts is not null)
        {
            if (ClassifyAlone(source, open, findings) is { } name)
            {
                parts.Add(new TemplatePart(true, name));
            }
        }

        spans?.Add((open, end));
        return end;
    }

    /// <summary>Parses one <c>{{ … }}</c> expression on its own and classifies its syntax tree.</summary>
    private static string? ClassifyAlone(string source, int position, List<LintFinding> findings)
    {
        if (Parser.TryParse(source, out var liquid, out _)
            && liquid is FluidTemplate { Statements: [OutputStatement { Filters: null or { Count: 0 } } output] })
        {
            return Classify(output.Expression, source, position, findings);
        }

        findings.Add(Unsupported(source, position, "only simple placeholders such as {{ name }} are allowed (Handlebars blocks, helpers and comments are not Liquid)"));
        return null;
    }

    /// <summary>The placeholder name of an output expression, or null with a finding.</summary>
    private static string? Classify(Expression expression, string source, int position, List<LintFinding> findings)
    {
        switch (expression)
        {
            case FilterExpression filter:
                findings.Add(Unsupported(source, position, $"Liquid filters such as '{filter.Name}' are not allowed: values come formatted for the locale"));
                return null;
            case MemberExpression { Segments: [IdentifierSegment { Identifier: var name }] } when IsIdentifier(name):
                if (TemplatePlaceholders.All.Contains(name))
                {
                    return name;
                }

                findings.Add(LintFinding.Error(LintCodes.PlaceholderUnknown, UnknownMessage(name)));
                return null;
            default:
                findings.Add(Unsupported(source, position, "only simple placeholders such as {{ name }} are allowed (no paths, indexers or literals)"));
                return null;
        }
    }

    private static LintFinding Unsupported(string source, int position, string why) =>
        LintFinding.Error(LintCodes.PlaceholderUnsupported, $"'{source}' at {position}: {why}");

    private static void AddLiteral(List<TemplatePart>? parts, List<LintFinding> findings, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (text.Contains("}}", StringComparison.Ordinal))
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderStrayClose, "'}}' without a matching '{{'"));
        }

        parts?.Add(new TemplatePart(false, text));
    }

    private static string UnknownMessage(string name)
    {
        var suggestion = TemplatePlaceholders.All.FirstOrDefault(p => p.Equals(name, StringComparison.OrdinalIgnoreCase));
        var hint = suggestion is null
            ? $"allowed: {string.Join(", ", TemplatePlaceholders.All.Order(StringComparer.Ordinal))}"
            : $"did you mean '{suggestion}'?";
        return $"unknown placeholder '{{{{ {name} }}}}'; {hint}";
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
