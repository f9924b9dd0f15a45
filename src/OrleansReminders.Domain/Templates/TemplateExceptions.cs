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
