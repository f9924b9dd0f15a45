using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class TemplateSelectorTests
{
    private static readonly Experiment Split = new("exp-1", [new("A", 1), new("B", 1)]);

    private static MessageTemplate Approved(string variant, string stage = "overdue-d3")
    {
        var draft = MessageTemplate.CreateDraft(new TemplateKey(stage, RiskTier.Low, "en-US", variant), $"Acme Finance {variant}. Reply STOP to opt out.", 1);
        return draft.Approve("r", TemplateSamples.Now, new TemplateLinter(), TemplateSamples.EnOptions).Template;
    }

    [Fact]
    public void BorrowerGetsTheTemplateOfTheirAssignedVariant()
    {
        var templates = new[] { Approved("A"), Approved("B"), Approved(TemplateKey.DefaultVariant) };

        foreach (var borrower in new[] { "borrower-1", "borrower-2", "borrower-3", "borrower-4" })
        {
            var expected = VariantAssigner.Assign(borrower, Split);
            var chosen = TemplateSelector.Select(templates, "overdue-d3", RiskTier.Low, "en-US", borrower, Split);
            Assert.Equal(expected, chosen!.Key.Variant);
        }
    }

    [Fact]
    public void WithoutAnApprovedVariantTheDefaultIsUsed()
    {
        var draftB = MessageTemplate.CreateDraft(new TemplateKey("overdue-d3", RiskTier.Low, "en-US", "B"), "x", 1);
        var templates = new[] { draftB, Approved(TemplateKey.DefaultVariant) };
        var borrowerInB = Enumerable.Range(0, 100).Select(i => $"b{i}").First(b => VariantAssigner.Assign(b, Split) == "B");

        var chosen = TemplateSelector.Select(templates, "overdue-d3", RiskTier.Low, "en-US", borrowerInB, Split);

        Assert.Equal(TemplateKey.DefaultVariant, chosen!.Key.Variant);
    }

    [Fact]
    public void RetiredAndOtherStageTemplatesAreNeverChosen()
    {
        var retired = Approved(TemplateKey.DefaultVariant).Retire("ops", TemplateSamples.Now);
        var templates = new[] { retired, Approved(TemplateKey.DefaultVariant, "overdue-d7") };

        Assert.Null(TemplateSelector.Select(templates, "overdue-d3", RiskTier.Low, "en-US", "b1"));
    }
}
