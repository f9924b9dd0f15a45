using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class TemplateLifecycleTests
{
    private static readonly TemplateLinter Linter = new();

    [Fact]
    public void NewTemplateIsADraft()
    {
        var draft = TemplateSamples.Draft(TemplateSamples.EnBody);

        Assert.Equal(TemplateStatus.Draft, draft.Status);
        Assert.Null(draft.ApprovedBy);
    }

    [Fact]
    public void CleanDraftIsApprovedWithReviewerAndTime()
    {
        var approval = TemplateSamples.Draft(TemplateSamples.EnBody).Approve("alice", TemplateSamples.Now, Linter, TemplateSamples.EnOptions);

        Assert.True(approval.IsApproved);
        Assert.Equal(TemplateStatus.Approved, approval.Template.Status);
        Assert.Equal("alice", approval.Template.ApprovedBy);
        Assert.Equal(TemplateSamples.Now, approval.Template.ApprovedAt);
    }

    [Fact]
    public void DraftWithLintErrorsStaysADraftAndReportsWhy()
    {
        var draft = TemplateSamples.Draft("Pay now, idiot. {{balance}}");

        var approval = draft.Approve("alice", TemplateSamples.Now, Linter, TemplateSamples.EnOptions);

        Assert.False(approval.IsApproved);
        Assert.Same(draft, approval.Template);
        Assert.Contains(approval.Report.Errors, f => f.Code == "wording.abuse");
        Assert.Contains(approval.Report.Errors, f => f.Code == LintCodes.PlaceholderUnknown);
    }

    [Fact]
    public void WarningsDoNotBlockApproval()
    {
        var draft = TemplateSamples.Draft("Acme Finance: don’t forget {{amount}}. Reply STOP to opt out.");

        var approval = draft.Approve("alice", TemplateSamples.Now, Linter, TemplateSamples.EnOptions);

        Assert.True(approval.IsApproved);
        Assert.Equal(LintCodes.EncodingUcs2, Assert.Single(approval.Report.Findings).Code);
    }

    [Fact]
    public void ApprovedTemplateCannotBeApprovedAgainOrEdited()
    {
        var approved = TemplateSamples.Approved(TemplateSamples.EnBody);

        Assert.Throws<TemplateLifecycleException>(() => approved.Approve("bob", TemplateSamples.Now, Linter, TemplateSamples.EnOptions));
        Assert.Throws<TemplateLifecycleException>(() => approved.WithBody("changed"));
    }

    [Fact]
    public void ApprovedTemplateIsRetiredWithWhoAndWhen()
    {
        var later = TemplateSamples.Now + Duration.FromDays(30);

        var retired = TemplateSamples.Approved(TemplateSamples.EnBody).Retire("ops", later);

        Assert.Equal(TemplateStatus.Retired, retired.Status);
        Assert.Equal("ops", retired.RetiredBy);
        Assert.Equal(later, retired.RetiredAt);
        Assert.Equal("reviewer@acme", retired.ApprovedBy);
    }

    [Fact]
    public void RetiredTemplateCannotBeApprovedAgain()
    {
        var retired = TemplateSamples.Approved(TemplateSamples.EnBody).Retire("ops", TemplateSamples.Now);

        var error = Assert.Throws<TemplateLifecycleException>(() => retired.Approve("bob", TemplateSamples.Now, Linter, TemplateSamples.EnOptions));

        Assert.Equal(TemplateStatus.Retired, error.Status);
        Assert.Contains("Retired", error.Message);
    }

    [Fact]
    public void DraftCannotBeRetiredAndRetiredCannotBeRetiredAgain()
    {
        var retired = TemplateSamples.Approved(TemplateSamples.EnBody).Retire("ops", TemplateSamples.Now);

        Assert.Throws<TemplateLifecycleException>(() => TemplateSamples.Draft("x").Retire("ops", TemplateSamples.Now));
        Assert.Throws<TemplateLifecycleException>(() => retired.Retire("ops", TemplateSamples.Now));
    }

    [Fact]
    public void DraftCanBeEdited()
    {
        var edited = TemplateSamples.Draft("x").WithBody("y");

        Assert.Equal("y", edited.Body);
        Assert.Equal(TemplateStatus.Draft, edited.Status);
    }

    [Fact]
    public void BlankReviewerIsRejected()
    {
        var error = Assert.Throws<DomainValidationException>(
            () => TemplateSamples.Draft(TemplateSamples.EnBody).Approve(" ", TemplateSamples.Now, Linter, TemplateSamples.EnOptions));

        Assert.Equal("reviewer", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public void InvalidDraftReportsEveryField()
    {
        var error = Assert.Throws<DomainValidationException>(
            () => MessageTemplate.CreateDraft(new TemplateKey("", RiskTier.Low, " ", ""), "x", 0));

        Assert.Equal(["key.stage", "key.locale", "key.variant", "maxSegments"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void RestoreRebuildsAStoredApprovedTemplateThatRenders()
    {
        var key = new TemplateKey("due-day", RiskTier.Medium, "en-US", "b");

        var restored = MessageTemplate.Restore(key, "Hi {{name}}", 1, Channel.Sms, TemplateStatus.Approved, "alice", TemplateSamples.Now, null, null);

        Assert.Equal("Hi Li Lei", new TemplateRenderer().RenderForSending(restored, TemplateSamples.Values()).Text);
    }

    [Fact]
    public void RestoreRejectsLifecycleFieldsThatContradictTheStatus()
    {
        var key = new TemplateKey("due-day", RiskTier.Medium, "en-US", "b");

        var error = Assert.Throws<DomainValidationException>(
            () => MessageTemplate.Restore(key, "Hi", 1, Channel.Sms, TemplateStatus.Retired, null, null, null, null));

        Assert.Equal(["approvedBy", "retiredBy"], error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void TemplateIdentityIsStageTierLocaleAndVariant()
    {
        var a = new TemplateKey("overdue-d7", RiskTier.High, "zh-CN", "B");

        Assert.Equal(new TemplateKey("overdue-d7", RiskTier.High, "zh-CN", "B"), a);
        Assert.NotEqual(a with { Variant = "A" }, a);
        Assert.Equal("overdue-d7/High/zh-CN/B", a.ToString());
    }
}
