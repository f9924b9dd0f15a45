using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

/// <summary>Bodies approved when templates were Handlebars, restored under Liquid.</summary>
public sealed class TemplateMigrationTests
{
    private static readonly TemplateKey Key = new("overdue.first", RiskTier.Medium, "en-US", "b");

    private static MessageTemplate RestoreApproved(string body) =>
        MessageTemplate.Restore(Key, body, 3, Channel.Sms, TemplateStatus.Approved, "alice", TemplateSamples.Now, null, null);

    [Fact]
    public void PlainPlaceholdersAreKeptAsTheyAre()
    {
        var body = "Hi {{name}}, {{ amount }} was due {{dueDate}}. Reply STOP to opt out.";

        var restored = RestoreApproved(body);

        Assert.Equal(body, restored.Body);
        Assert.False(TemplateMigration.ToLiquid(body).Changed);
        Assert.Equal("Hi Li Lei, $1,234.50 was due Mar 9, 2025. Reply STOP to opt out.", new TemplateRenderer().RenderForSending(restored, TemplateSamples.Values()).Text);
    }

    [Fact]
    public void TripleStashAndCommentsAreRewrittenDeterministically()
    {
        var body = "{{!-- note: }} inside --}}Hi {{{name}}},{{! short }} {{{ amount }}} due";

        var migration = TemplateMigration.ToLiquid(body);
        var restored = RestoreApproved(body);

        Assert.Equal("Hi {{name}}, {{ amount }} due", migration.Body);
        Assert.Equal(4, migration.Rewrites.Count);
        Assert.Equal(migration.Body, restored.Body);
        Assert.Equal(TemplateStatus.Approved, restored.Status);
        Assert.Equal("Hi Li Lei, $1,234.50 due", new TemplateRenderer().RenderForSending(restored, TemplateSamples.Values()).Text);
        Assert.False(TemplateMigration.ToLiquid(migration.Body).Changed);
    }

    [Theory]
    [InlineData("Hi {{name}}{{#if link}} pay at {{link}}{{/if}}")]
    [InlineData("Hi {{name}}{{else}}")]
    [InlineData("Hi {{upper name}}")]
    [InlineData("Hi {{> footer}}")]
    [InlineData("Hi {{~name~}}")]
    [InlineData("Hi {{this.name}}")]
    [InlineData("Hi \\{{name}}")]
    [InlineData("Save 10{%} today, {{name}}")]
    public void AnApprovedBodyWithoutSafeRewriteFailsNamingTheTemplate(string body)
    {
        var error = Assert.Throws<TemplateMigrationException>(() => RestoreApproved(body));

        Assert.Equal(Key, error.Key);
        Assert.NotEmpty(error.Problems);
        Assert.Contains("overdue.first/Medium/en-US/b", error.Message);
        Assert.Contains("locale en-US, variant b", error.Message);
        Assert.Contains("re-approve", error.Message);
        Assert.Equal(body, error.Template.Body);
    }

    [Fact]
    public void AnUnmigratableTemplateCanOnlyBeRetiredAndNeverRenders()
    {
        var error = Assert.Throws<TemplateMigrationException>(() => RestoreApproved("Hi {{#if link}}{{link}}{{/if}}"));

        Assert.Throws<DomainValidationException>(() => new TemplateRenderer().RenderForSending(error.Template, TemplateSamples.Values()));
        Assert.Equal(TemplateStatus.Retired, error.Template.Retire("ops", TemplateSamples.Now).Status);
    }

    [Fact]
    public void DraftsAndRetiredTemplatesAreRestoredAsStored()
    {
        var body = "Hi {{{name}}} {{#if link}}x{{/if}}";

        var draft = MessageTemplate.Restore(Key, body, 3, Channel.Sms, TemplateStatus.Draft, null, null, null, null);
        var retired = MessageTemplate.Restore(Key, body, 3, Channel.Sms, TemplateStatus.Retired, "a", TemplateSamples.Now, "b", TemplateSamples.Now);

        Assert.Equal(body, draft.Body);
        Assert.Equal(body, retired.Body);
    }
}
