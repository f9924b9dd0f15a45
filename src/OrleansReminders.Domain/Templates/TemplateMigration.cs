using System.Text;

namespace OrleansReminders.Domain.Templates;

/// <summary>What <see cref="TemplateMigration.ToLiquid"/> made of a stored body: the body to use and each rewrite applied.</summary>
public sealed record TemplateMigrationResult(string Body, IReadOnlyList<string> Rewrites)
{
    public bool Changed => Rewrites.Count > 0;
}

/// <summary>
/// The migration rule for bodies approved when templates were Handlebars (before issue 14). Plain
/// placeholders (<c>{{name}}</c>, <c>{{ name }}</c>) are already Liquid and stay as they are. Two
/// Handlebars-only constructs have an exact Liquid equivalent under the old renderer (which did not
/// HTML-escape) and are rewritten, left to right, deterministically:
/// <list type="bullet">
/// <item>triple-stash <c>{{{name}}}</c> → <c>{{name}}</c> (the inner text kept as written);</item>
/// <item>comments <c>{{! … }}</c> and <c>{{!-- … --}}</c> → removed (they rendered nothing).</item>
/// </list>
/// Everything else Handlebars-only (blocks <c>{{#if}}</c> / <c>{{/if}}</c> / <c>{{else}}</c> / <c>{{^…}}</c>,
/// helpers, partials, <c>{{~</c>, paths, <c>\{{</c>) has no safe rewrite: the result then does not parse
/// as this service's Liquid subset and <see cref="MessageTemplate.Restore"/> fails with
/// <see cref="TemplateMigrationException"/> naming the template, to be retired and approved anew.
/// </summary>
public static class TemplateMigration
{
    /// <summary>Applies the rewrites above; never fails (what it cannot rewrite is left for the syntax check).</summary>
    public static TemplateMigrationResult ToLiquid(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var rewrites = new List<string>();
        var result = new StringBuilder(body.Length);
        var i = 0;
        while (i < body.Length)
        {
            var open = body.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0 || (open > 0 && body[open - 1] == '\\'))
            {
                var stop = open < 0 ? body.Length : open + 2;
                result.Append(body, i, stop - i);
                i = stop;
                continue;
            }

            result.Append(body, i, open - i);
            i = Rewrite(body, open, result, rewrites);
        }

        return rewrites.Count == 0 ? new TemplateMigrationResult(body, []) : new TemplateMigrationResult(result.ToString(), rewrites);
    }

    private static int Rewrite(string body, int open, StringBuilder result, List<string> rewrites)
    {
        if (At(body, open, "{{!--") && body.IndexOf("--}}", open + 5, StringComparison.Ordinal) is var longEnd and >= 0)
        {
            rewrites.Add($"comment '{body[open..(longEnd + 4)]}' at {open} removed");
            return longEnd + 4;
        }

        if (At(body, open, "{{!") && body.IndexOf("}}", open + 3, StringComparison.Ordinal) is var end and >= 0)
        {
            rewrites.Add($"comment '{body[open..(end + 2)]}' at {open} removed");
            return end + 2;
        }

        if (At(body, open, "{{{") && body.IndexOf("}}}", open + 3, StringComparison.Ordinal) is var close and >= 0
            && body[(open + 3)..close].Trim() is var name && IsPlainName(name))
        {
            var inner = body[(open + 3)..close];
            rewrites.Add($"triple-stash '{body[open..(close + 3)]}' at {open} → '{{{{{inner}}}}}'");
            result.Append("{{").Append(inner).Append("}}");
            return close + 3;
        }

        result.Append("{{");
        return open + 2;
    }

    private static bool At(string body, int index, string text) =>
        string.CompareOrdinal(body, index, text, 0, text.Length) == 0;

    private static bool IsPlainName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
