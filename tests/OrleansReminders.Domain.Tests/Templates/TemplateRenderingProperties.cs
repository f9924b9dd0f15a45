using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class TemplateRenderingProperties
{
    private static readonly TemplateRenderer Renderer = new();
    private static readonly TemplateValueFormatter Formatter = new(TemplateReferenceData.Default);
    private static readonly string[] Names = [.. TemplatePlaceholders.All];
    private static readonly char[] ValueChars = "ab Z09{}{}[]\\|~^€\n\t还款😀$¥.,:;'\"".ToCharArray();
    private static readonly char[] LiteralChars = "ab Z09.,:;!?\n还款😀$¥€[]|~^".ToCharArray();

    public sealed record Case(string Locale, IReadOnlyList<(bool IsPlaceholder, string Text)> Parts, TemplateValues Values)
    {
        public string Body => string.Concat(Parts.Select(p => p.IsPlaceholder ? Wrap(p.Text) : p.Text));

        private static string Wrap(string name) => name.Length % 2 == 0 ? $"{{{{{name}}}}}" : $"{{{{ {name} }}}}";

        public override string ToString() => $"{Locale} | {Body} | {Values}";
    }

    // Every case is a new body, and compiling one costs milliseconds: 150 cases keep this under ~3 s.
    [Property(MaxTest = 150)]
    public Property RenderingLeavesNoPlaceholderAndSubstitutesEveryValue() =>
        Prop.ForAll(CaseGen().ToArbitrary(), c =>
        {
            var template = MessageTemplate.CreateDraft(new TemplateKey("s", RiskTier.Low, c.Locale, "v"), c.Body, 10);
            var text = Renderer.RenderPreview(template, c.Values).Text;
            var formatted = Formatter.Format(c.Values, c.Locale);
            var expected = string.Concat(c.Parts.Select(p => p.IsPlaceholder ? formatted[p.Text] : p.Text));
            return !text.Contains("{{", StringComparison.Ordinal) && !text.Contains("}}", StringComparison.Ordinal) && text == expected;
        });

    [Property(MaxTest = 300)]
    public Property ArbitraryBodyEitherFailsValidationOrLeavesNoPlaceholder() =>
        Prop.ForAll(ArbitraryBody().ToArbitrary(), body =>
        {
            var template = MessageTemplate.CreateDraft(new TemplateKey("s", RiskTier.Low, "en-US", "v"), body, 10);
            try
            {
                return !Renderer.RenderPreview(template, TemplateSamples.Values()).Text.Contains("{{", StringComparison.Ordinal);
            }
            catch (DomainValidationException e)
            {
                return e.Errors.All(err => err.Path == "body");
            }
        });

    private static Gen<Case> CaseGen() =>
        from locale in Gen.Elements("en-US", "zh-CN", "en-IN")
        from parts in Gen.OneOf(Placeholder(), Literal()).ListOf()
        from values in ValuesGen()
        select new Case(locale, [.. parts], values);

    private static Gen<(bool, string)> Placeholder() => Gen.Elements(Names).Select(n => (true, n));

    private static Gen<(bool, string)> Literal() =>
        Gen.Elements(LiteralChars).ArrayOf().Where(a => a.Length > 0).Select(a => (false, new string(a)));

    private static Gen<string> Text() => Gen.Elements(ValueChars).ArrayOf().Select(a => new string(a));

    private static Gen<TemplateValues> ValuesGen() =>
        from name in Text()
        from cents in Gen.Choose(0, int.MaxValue)
        from currency in Gen.Elements("USD", "CNY", "EUR", "JPY", "INR", "XYZ")
        from day in Gen.Choose(0, 3000)
        from overdue in Gen.Choose(0, 5000)
        from methods in Text()
        from hotline in Text()
        from link in Text()
        select new TemplateValues(
            "N" + name, cents / 100m, currency, new LocalDate(2024, 1, 1).PlusDays(day), overdue,
            methods, "H" + hotline, "L" + link);

    private static Gen<string> ArbitraryBody() =>
        Gen.Elements("{{", "}}", "{", "}", "\\", "name", "amount", " ", "link", "Name", "#if", "/if", "x", "{{name}}", "还")
            .ArrayOf()
            .Select(pieces => new StringBuilder().AppendJoin(string.Empty, pieces).ToString());
}
