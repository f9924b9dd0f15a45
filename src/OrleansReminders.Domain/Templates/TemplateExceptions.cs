namespace OrleansReminders.Domain.Templates;

/// <summary>A lifecycle transition that is not allowed, such as approving a retired template.</summary>
public sealed class TemplateLifecycleException(TemplateKey key, TemplateStatus status, string message)
    : InvalidOperationException(message)
{
    public TemplateKey Key { get; } = key;

    public TemplateStatus Status { get; } = status;
}

/// <summary>Rendering for sending was asked of a template that is not approved (a draft or a retired one).</summary>
public sealed class TemplateNotSendableException(TemplateKey key, TemplateStatus status)
    : InvalidOperationException($"template {key} is {status}; only approved templates render for sending (use a preview for drafts)")
{
    public TemplateKey Key { get; } = key;

    public TemplateStatus Status { get; } = status;
}

/// <summary>
/// A stored approved template that cannot be carried over to Liquid (see <see cref="TemplateMigration"/>): it
/// uses a Handlebars-only construct with no safe rewrite. The message names the template (stage, tier, locale,
/// variant) and each problem; <see cref="Template"/> is the template as stored, which can only be retired
/// (it never renders), after which a new draft in Liquid syntax is approved.
/// </summary>
public sealed class TemplateMigrationException(MessageTemplate template, IReadOnlyList<string> problems)
    : InvalidOperationException(
        $"approved template {template.Key} (stage {template.Key.Stage}, tier {template.Key.Tier}, locale {template.Key.Locale}, variant {template.Key.Variant}) " +
        $"cannot be migrated from Handlebars to Liquid: {string.Join("; ", problems)}. Retire it and approve a new draft in Liquid syntax (re-approve).")
{
    public TemplateKey Key => Template.Key;

    public MessageTemplate Template { get; } = template;

    public IReadOnlyList<string> Problems { get; } = problems;
}
