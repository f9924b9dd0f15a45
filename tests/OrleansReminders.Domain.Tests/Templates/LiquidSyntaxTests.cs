using Fluid.Ast;
using Fluid.Parser;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

/// <summary>The Liquid subset templates are parsed and rendered with (Fluid), and what it refuses.</summary>
public sealed class LiquidSyntaxTests
{
    private static readonly TemplateRenderer Renderer = new();

    private static IReadOnlyList<LintFinding> Findings(string body) => TemplateSyntax.Parse(body).Findings;

    [Fact]
    public void PlaceholdersComeFromTheParsedLiquidTemplate()
    {
        var parsed = TemplateSyntax.Parse("Hi {{ name }}, {{amount}} due {{  dueDate  }}; again {{name}}");

        Assert.Empty(parsed.Findings);
        var liquid = Assert.IsType<FluidTemplate>(parsed.Liquid);
        Assert.Equal(["name", "amount", "dueDate"], parsed.Placeholders);
        Assert.Equal(4, liquid.Statements.OfType<OutputStatement>().Count());
        Assert.Equal(
            ["name", "amount", "dueDate", "name"],
            liquid.Statements.OfType<OutputStatement>().Select(o => ((IdentifierSegment)((MemberExpression)o.Expression).Segments[0]).Identifier));
    }

    [Theory]
    [InlineData("Hi {{ Name }}", "did you mean 'name'?")]
    [InlineData("Hi {{ balance }}", "allowed: ")]
    [InlineData("Hi {{ else }}", "allowed: ")]
    public void UnknownNamesInTheSyntaxTreeAreReported(string body, string hint)
    {
        var finding = Assert.Single(Findings(body));

        Assert.Equal(LintCodes.PlaceholderUnknown, finding.Code);
        Assert.Contains(hint, finding.Message);
    }

    [Theory]
    [InlineData("Hi {{ name | upcase }}", "filters such as 'upcase'")]
    [InlineData("Hi {{ name | default: 'friend' }}", "filters such as 'default'")]
    [InlineData("Hi {{ amount | money }}", "filters such as 'money'")]
    [InlineData("Hi {{ name.size }}", "no paths")]
    [InlineData("Hi {{ name[0] }}", "no paths")]
    [InlineData("Hi {{ 'literal' }}", "no paths")]
    [InlineData("Hi {{ }}", "no paths")]
    [InlineData("Hi {% if name %}x{% endif %}", "Liquid tags")]
    [InlineData("{% assign name = 'x' %}{{ name }}", "Liquid tags")]
    [InlineData("{% raw %}{{ name }}{% endraw %}", "Liquid tags")]
    [InlineData("{% comment %}x{% endcomment %}Hi", "Liquid tags")]
    [InlineData("Hi {{- name -}} !", "whitespace control")]
    [InlineData("Hi {{{ name }}}", "triple braces")]
    [InlineData("Hi {{#if link}}x{{/if}}", "Handlebars blocks")]
    public void FiltersTagsPathsAndWhitespaceControlAreRefused(string body, string why)
    {
        var findings = Findings(body);

        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal(LintCodes.PlaceholderUnsupported, f.Code));
        Assert.Contains(findings, f => f.Message.Contains(why, StringComparison.Ordinal));
        Assert.Null(TemplateSyntax.Parse(body).Liquid);
    }

    [Fact]
    public void AnUnclosedTagIsReported()
    {
        Assert.Equal([LintCodes.PlaceholderUnclosed], Findings("Save 10 {% now").Select(f => f.Code));
    }

    [Fact]
    public void LiquidSpecialCharactersInTextAreLiteral()
    {
        var template = TemplateSamples.Draft("100% sure: {{ name }} owes {{amount}} %} { } 'x' \"y\" | - [a]");

        var text = Renderer.RenderPreview(template, TemplateSamples.Values()).Text;

        Assert.Equal("100% sure: Li Lei owes $1,234.50 %} { } 'x' \"y\" | - [a]", text);
    }

    [Fact]
    public void ValuesAreNotHtmlEncodedAndWhitespaceIsKept()
    {
        var template = TemplateSamples.Draft("  Hi {{ name }} &amp;\n\t{{ repaymentMethods }}  ");
        var values = TemplateSamples.Values() with { Name = "A&B <Ltd> \"Q\" 'R'", RepaymentMethods = "card & bank" };

        var text = Renderer.RenderPreview(template, values).Text;

        Assert.Equal("  Hi A&B <Ltd> \"Q\" 'R' &amp;\n\tcard & bank  ", text);
    }

    [Fact]
    public void ValuesHoldingLiquidSyntaxAreNotEvaluated()
    {
        var template = TemplateSamples.Draft("Hi {{ name }}, {{ repaymentMethods }}");
        var values = TemplateSamples.Values() with { Name = "{% if true %}x{% endif %}", RepaymentMethods = "{{ amount | upcase }}" };

        var text = Renderer.RenderPreview(template, values).Text;

        Assert.Equal("Hi (% if true %)x(% endif %), (( amount | upcase ))", text);
    }

    [Fact]
    public void NamesAreMatchedWithExactCase()
    {
        Assert.Equal(LintCodes.PlaceholderUnknown, Assert.Single(Findings("{{ DueDate }}")).Code);
        Assert.Empty(Findings("{{ dueDate }}"));
    }

    [Fact]
    public void ABrokenBodyNeverReachesTheRendererAsLiquid()
    {
        var template = TemplateSamples.Draft("Hi {{ name | upcase }}");

        var error = Assert.Throws<DomainValidationException>(() => Renderer.RenderPreview(template, TemplateSamples.Values()));

        Assert.Equal("body", Assert.Single(error.Errors).Path);
    }
}
