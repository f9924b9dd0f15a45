using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Templates;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Grains.Templates;

/// <summary>
/// One template's lifecycle, decided by the domain's <see cref="MessageTemplate"/> (draft → approved →
/// retired, lint on save and at approval) and persisted here. A retired template's key can start a new draft.
/// On activation an approved body stored in Handlebars syntax goes through the Liquid migration rule
/// (<see cref="TemplateMigration"/>): a rewritten body is stored back and logged; one that cannot be migrated
/// is logged as an error naming the template, is never rendered, and can still be read and retired.
/// </summary>
public sealed partial class TemplateGrain(
    [PersistentState("template", StorageNames.Borrowers)] IPersistentState<TemplateState> store,
    TimeProvider time,
    ILogger<TemplateGrain> logger) : Grain, ITemplateGrain
{
    private static readonly TemplateLinter Linter = new();
    private static readonly TemplateLintOptions LintOptions = new() { RequireBrandSignature = false };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.State is not { Status: TemplateStatus.Approved, Body: { } stored })
        {
            return;
        }

        try
        {
            if (Restore(tolerateUnmigratable: false) is { } migrated && migrated.Body != stored)
            {
                store.State.Body = migrated.Body;
                await store.WriteStateAsync(cancellationToken);
                LogMigrated(logger, this.GetPrimaryKeyString(), string.Join("; ", TemplateMigration.ToLiquid(stored).Rewrites));
            }
        }
        catch (TemplateMigrationException ex)
        {
            LogNotMigrated(logger, ex.Key.Stage, ex.Key.Tier.ToString(), ex.Key.Locale, ex.Key.Variant, ex.Message);
        }
    }

    public async Task<TemplateResult> SaveDraftAsync(TemplateDraft draft)
    {
        if (ParseKey(this.GetPrimaryKeyString()) is not { } key)
        {
            return Rejected("key", "must be stage/tier/locale/variant with tier low, medium or high");
        }

        MessageTemplate template;
        try
        {
            template = Current() is { Status: TemplateStatus.Draft } current
                ? current.WithBody(draft.Body)
                : Current() is { Status: TemplateStatus.Approved }
                    ? throw new TemplateLifecycleException(key, TemplateStatus.Approved, "an approved template cannot change: retire it, then save a new draft")
                    : MessageTemplate.CreateDraft(key, draft.Body, draft.MaxSegments);
            if (template.MaxSegments != draft.MaxSegments)
            {
                template = MessageTemplate.CreateDraft(key, draft.Body, draft.MaxSegments);
            }
        }
        catch (DomainValidationException ex)
        {
            return new TemplateResult(CommandOutcome.Rejected, null, [.. ex.Errors.Select(e => new FieldProblem(e.Path, e.Message))]);
        }
        catch (TemplateLifecycleException ex)
        {
            return new TemplateResult(CommandOutcome.Rejected, View(Current()!, store.State.Findings), [], ex.Message);
        }

        var findings = Findings(Linter.Lint(template, LintOptions));
        await SaveAsync(template, findings);
        return new TemplateResult(CommandOutcome.Accepted, View(template, findings), []);
    }

    public async Task<TemplateResult> ApproveAsync(string reviewer) => await StepAsync(template =>
    {
        var approval = template.Approve(reviewer, Now(), Linter, LintOptions);
        return (approval.Template, Findings(approval.Report), approval.IsApproved ? null : "the template has lint errors; it stays a draft");
    });

    public async Task<TemplateResult> RetireAsync(string by) => await StepAsync(template => (template.Retire(by, Now()), store.State.Findings, null));

    public Task<TemplateView?> GetAsync() => Task.FromResult(Current() is { } template ? View(template, store.State.Findings) : null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Approved template {TemplateKey} was migrated from Handlebars to Liquid syntax: {Rewrites}")]
    private static partial void LogMigrated(ILogger logger, string templateKey, string rewrites);

    [LoggerMessage(Level = LogLevel.Error, Message = "Template to re-approve: stage {Stage}, tier {Tier}, locale {Locale}, variant {Variant}. {Reason}")]
    private static partial void LogNotMigrated(ILogger logger, string stage, string tier, string locale, string variant, string reason);

    private async Task<TemplateResult> StepAsync(Func<MessageTemplate, (MessageTemplate Template, ImmutableArray<TemplateFinding> Findings, string? Refusal)> step)
    {
        if (Current() is not { } template)
        {
            return new TemplateResult(CommandOutcome.NotFound, null, [], "no template with this key");
        }

        try
        {
            var (next, findings, refusal) = step(template);
            await SaveAsync(next, findings);
            return refusal is null
                ? new TemplateResult(CommandOutcome.Accepted, View(next, findings), [])
                : new TemplateResult(CommandOutcome.Rejected, View(next, findings), [.. findings.Where(f => f.Severity == "Error").Select(f => new FieldProblem("body", $"{f.Code}: {f.Message}"))]);
        }
        catch (TemplateLifecycleException ex)
        {
            return new TemplateResult(CommandOutcome.Rejected, View(template, store.State.Findings), [], ex.Message);
        }
    }

    /// <summary>The stored template; an approved one that cannot be migrated to Liquid comes back as stored (it never renders: its body fails the syntax check).</summary>
    private MessageTemplate? Current() => Restore(tolerateUnmigratable: true);

    /// <exception cref="TemplateMigrationException">Unless tolerated: an approved body that cannot be migrated to Liquid.</exception>
    private MessageTemplate? Restore(bool tolerateUnmigratable)
    {
        var s = store.State;
        if (s.Body is null || ParseKey(this.GetPrimaryKeyString()) is not { } key)
        {
            return null;
        }

        try
        {
            return MessageTemplate.Restore(key, s.Body, s.MaxSegments, Channel.Sms, s.Status, s.ApprovedBy,
                s.ApprovedAt is { } a ? Instant.FromDateTimeOffset(a) : null, s.RetiredBy, s.RetiredAt is { } r ? Instant.FromDateTimeOffset(r) : null);
        }
        catch (TemplateMigrationException ex) when (tolerateUnmigratable)
        {
            return ex.Template;
        }
    }

    private async Task SaveAsync(MessageTemplate template, ImmutableArray<TemplateFinding> findings)
    {
        var s = store.State;
        (s.Body, s.MaxSegments, s.Status, s.ApprovedBy, s.RetiredBy) = (template.Body, template.MaxSegments, template.Status, template.ApprovedBy, template.RetiredBy);
        (s.ApprovedAt, s.RetiredAt) = (template.ApprovedAt?.ToDateTimeOffset(), template.RetiredAt?.ToDateTimeOffset());
        s.Findings = findings;
        await store.WriteStateAsync();
    }

    private Instant Now() => Instant.FromDateTimeOffset(time.GetUtcNow());

    private TemplateView View(MessageTemplate t, ImmutableArray<TemplateFinding> findings) => new(
        this.GetPrimaryKeyString(), t.Body, t.MaxSegments, t.Status.ToString().ToLowerInvariant(), t.ApprovedBy,
        t.ApprovedAt?.ToDateTimeOffset(), t.RetiredBy, t.RetiredAt?.ToDateTimeOffset(), findings);

    private static ImmutableArray<TemplateFinding> Findings(TemplateLintReport report) =>
        [.. report.Findings.Select(f => new TemplateFinding(f.Severity.ToString(), f.Code, f.Message))];

    private static TemplateResult Rejected(string field, string message) => new(CommandOutcome.Rejected, null, [new FieldProblem(field, message)]);

    /// <summary>The grain key of a template: <c>stage/tier/locale/variant</c>, tier in lower case (one spelling, one grain).</summary>
    public static string KeyFor(string stage, string tier, string locale, string? variant) =>
        $"{stage}/{tier.ToLowerInvariant()}/{locale}/{variant ?? TemplateKey.DefaultVariant}";

    /// <summary><c>stage/tier/locale/variant</c>, tier by name.</summary>
    public static TemplateKey? ParseKey(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 4 && parts.All(p => p.Length > 0) && Enum.TryParse<RiskTier>(parts[1], ignoreCase: true, out var tier) && Enum.IsDefined(tier)
            ? new TemplateKey(parts[0], tier, parts[2], parts[3])
            : null;
    }
}

[GenerateSerializer]
public sealed class TemplateState
{
    [Id(0)] public string? Body { get; set; }
    [Id(1)] public int MaxSegments { get; set; }
    [Id(2)] public TemplateStatus Status { get; set; }
    [Id(3)] public string? ApprovedBy { get; set; }
    [Id(4)] public DateTimeOffset? ApprovedAt { get; set; }
    [Id(5)] public string? RetiredBy { get; set; }
    [Id(6)] public DateTimeOffset? RetiredAt { get; set; }
    [Id(7)] public ImmutableArray<TemplateFinding> Findings { get; set; } = [];
}
