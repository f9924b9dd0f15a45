using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Contracts.Templates;
using OrleansReminders.Domain.Templates;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Templates;
using OrleansReminders.Testing;
using Orleans.Storage;

namespace OrleansReminders.Grains.Tests.Dispatching;

/// <summary>
/// Templates approved under the former Handlebars syntax, written straight into grain storage as an older
/// version of the service left them, then loaded and sent under Liquid.
/// </summary>
[Collection(BehaviourCluster.Name)]
public sealed class TemplateMigrationGrainTests(BehaviourClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly MessageValues Values = new("Ada", 1234.5m, "USD", new DateOnly(2026, 11, 20), 3);

    [Fact]
    public async Task AStoredApprovedTripleStashBodyIsMigratedStoredBackAndSent()
    {
        var template = await StoreApprovedAsync("overdue.second/high/en-US/default", "Hi {{{name}}},{{! old note }} {{amount}} is overdue. Reply STOP to opt out.");

        var view = await template.GetAsync();
        Assert.Equal("approved", view!.Status);
        Assert.Equal("Hi {{name}}, {{amount}} is overdue. Reply STOP to opt out.", view.Body);
        Assert.Equal(view.Body, (await StoredAsync(template)).Body);

        var text = await SendAsync("mig-ok", "overdue.second");
        Assert.Equal("Hi Ada, $1,234.50 is overdue. Reply STOP to opt out.", text);
    }

    [Fact]
    public async Task AStoredApprovedBlockBodyIsNeverSentAndCanBeRetired()
    {
        const string body = "Hi {{name}}{{#if link}}, pay at {{link}}{{/if}}. Reply STOP to opt out.";
        var template = await StoreApprovedAsync("overdue.third/high/en-US/default", body);

        var view = await template.GetAsync();
        Assert.Equal("approved", view!.Status);
        Assert.Equal(body, view.Body);

        var text = await SendAsync("mig-blocked", "overdue.third");
        Assert.DoesNotContain("Ada", text, StringComparison.Ordinal);
        Assert.Contains("Reply STOP", text, StringComparison.Ordinal);

        var retired = await template.RetireAsync("ops");
        Assert.Equal(CommandOutcome.Accepted, retired.Outcome);
        Assert.Equal("retired", retired.Template!.Status);
    }

    private async Task<ITemplateGrain> StoreApprovedAsync(string key, string body)
    {
        var template = fixture.Grains.GetGrain<ITemplateGrain>(key);
        var state = new TemplateState
        {
            Body = body, MaxSegments = 2, Status = TemplateStatus.Approved, ApprovedBy = "reviewer", ApprovedAt = DateTimeOffset.UtcNow,
        };
        await Storage().WriteStateAsync("template", template.GetGrainId(), new GrainState<TemplateState>(state));
        return template;
    }

    private async Task<TemplateState> StoredAsync(ITemplateGrain template)
    {
        var state = new GrainState<TemplateState>(new TemplateState());
        await Storage().ReadStateAsync("template", template.GetGrainId(), state);
        return state.State ?? throw new InvalidOperationException("no stored template state");
    }

    private IGrainStorage Storage() =>
        fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Borrowers);

    private async Task<string> SendAsync(string key, string templateKey)
    {
        var message = new OutboundMessage(
            $"pool-m-{key}:1:L0", $"pool-m-{key}", MessageChannel.Sms, templateKey, Tier.High, "en-US",
            false, Urgent: false, DateTimeOffset.UtcNow.AddHours(1), To: "+12025550123") { Values = Values };
        await fixture.Grains.GetGrain<IDispatcherGrain>("texts-migration").EnqueueAsync(message);
        await Eventually.WaitForAsync(() => Task.FromResult(fixture.Primary.Texts.ContainsKey(message.MessageKey)), d => d, Patience, "the message to be sent");
        return fixture.Primary.Texts[message.MessageKey];
    }
}
