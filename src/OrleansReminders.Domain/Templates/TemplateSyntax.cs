namespace OrleansReminders.Domain.Templates;

/// <summary>One piece of a template body: literal text or a placeholder name.</summary>
internal sealed record TemplatePart(bool IsPlaceholder, string Text);

/// <summary>A body split into parts, with every syntax finding (empty when the body is well formed).</summary>
internal sealed record ParsedTemplate(IReadOnlyList<TemplatePart> Parts, IReadOnlyList<LintFinding> Findings)
{
    public IEnumerable<string> Placeholders => Parts.Where(p => p.IsPlaceholder).Select(p => p.Text).Distinct();
}

/// <summary>
/// Our own scan of <c>{{…}}</c> expressions. Only <c>{{identifier}}</c> from <see cref="TemplatePlaceholders"/>
/// is accepted, so the template engine never sees helpers, blocks, partials, paths or escapes, and no literal
/// <c>{{</c> can reach the output.
/// </summary>
internal static class TemplateSyntax
{
    public static ParsedTemplate Parse(string body)
    {
        var parts = new List<TemplatePart>();
        var findings = new List<LintFinding>();
        var i = 0;
        while (i < body.Length)
        {
            var open = body.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                AddLiteral(parts, findings, body[i..]);
                break;
            }

            AddLiteral(parts, findings, body[i..open]);
            i = ParseExpression(body, open, parts, findings);
        }

        return new ParsedTemplate(parts, findings);
    }

    private static int ParseExpression(string body, int open, List<TemplatePart> parts, List<LintFinding> findings)
    {
        if (open > 0 && body[open - 1] == '\\')
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderEscaped, $"escaped '\\{{{{' at {open - 1} would send braces literally"));
        }

        var close = body.IndexOf("}}", open + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderUnclosed, $"'{{{{' at {open} has no closing '}}}}'"));
            return body.Length;
        }

        var end = close + 2;
        var inner = body[(open + 2)..close];
        var name = inner.Trim();
        if (inner.StartsWith('{') || (end < body.Length && body[end] == '}') || !IsIdentifier(name))
        {
            findings.Add(LintFinding.Error(
                LintCodes.PlaceholderUnsupported,
                $"'{body[open..end]}' at {open}: only simple placeholders such as {{{{name}}}} are allowed"));
        }
        else if (!TemplatePlaceholders.All.Contains(name))
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderUnknown, UnknownMessage(name)));
        }
        else
        {
            parts.Add(new TemplatePart(true, name));
        }

        return end;
    }

    private static void AddLiteral(List<TemplatePart> parts, List<LintFinding> findings, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (text.Contains("}}", StringComparison.Ordinal))
        {
            findings.Add(LintFinding.Error(LintCodes.PlaceholderStrayClose, "'}}' without a matching '{{'"));
        }

        parts.Add(new TemplatePart(false, text));
    }

    private static string UnknownMessage(string name)
    {
        var suggestion = TemplatePlaceholders.All.FirstOrDefault(p => p.Equals(name, StringComparison.OrdinalIgnoreCase));
        var hint = suggestion is null
            ? $"allowed: {string.Join(", ", TemplatePlaceholders.All.Order(StringComparer.Ordinal))}"
            : $"did you mean '{suggestion}'?";
        return $"unknown placeholder '{{{{{name}}}}}'; {hint}";
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
