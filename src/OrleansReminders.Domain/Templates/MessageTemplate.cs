using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>Identity of a template: ladder stage (template key), risk tier, locale and A/B variant.</summary>
public sealed record TemplateKey(string Stage, RiskTier Tier, string Locale, string Variant)
{
    /// <summary>The variant name used when a template is not part of an experiment.</summary>
    public const string DefaultVariant = "default";

    public override string ToString() => $"{Stage}/{Tier}/{Locale}/{Variant}";
}

/// <summary>Lifecycle of a template: draft → approved → retired. Only approved templates are sendable.</summary>
public enum TemplateStatus
{
    Draft,
    Approved,
    Retired,
}

/// <summary>The result of asking for approval: the (possibly unchanged) template and the lint report behind the answer.</summary>
public sealed record TemplateApproval(bool IsApproved, MessageTemplate Template, TemplateLintReport Report);

/// <summary>
/// A message template with its lifecycle. State changes only through <see cref="CreateDraft"/>,
/// <see cref="WithBody"/>, <see cref="Approve"/> and <see cref="Retire"/>; <see cref="Restore"/> rebuilds a
/// stored template and checks that its fields agree with its status.
/// </summary>
public sealed record MessageTemplate
{
    private MessageTemplate(TemplateKey key, string body, int maxSegments, Channel channel)
    {
        Key = key;
        Body = body;
        MaxSegments = maxSegments;
        Channel = channel;
    }

    public TemplateKey Key { get; }

    /// <summary>Template text in Liquid syntax with <c>{{ placeholder }}</c> outputs (see <see cref="TemplatePlaceholders"/>).</summary>
    public string Body { get; private init; }

    /// <summary>Most SMS segments a rendered message may take (checked on the raw text and on worst-case values).</summary>
    public int MaxSegments { get; }

    public Channel Channel { get; }

    public TemplateStatus Status { get; private init; } = TemplateStatus.Draft;

    public string? ApprovedBy { get; private init; }

    public Instant? ApprovedAt { get; private init; }

    public string? RetiredBy { get; private init; }

    public Instant? RetiredAt { get; private init; }

    /// <exception cref="DomainValidationException">Blank key parts, a null body or a maximum below 1.</exception>
    public static MessageTemplate CreateDraft(TemplateKey key, string body, int maxSegments, Channel channel = Channel.Sms)
    {
        var errors = new List<FieldError>();
        Require(errors, !string.IsNullOrWhiteSpace(key.Stage), "key.stage", "must not be empty");
        Require(errors, !string.IsNullOrWhiteSpace(key.Locale), "key.locale", "must not be empty");
        Require(errors, !string.IsNullOrWhiteSpace(key.Variant), "key.variant", "must not be empty");
        Require(errors, body is not null, "body", "must not be null");
        Require(errors, maxSegments >= 1, "maxSegments", "must be ≥ 1");
        ThrowIfAny(errors);
        return new MessageTemplate(key, body!, maxSegments, channel);
    }

    /// <summary>
    /// Rebuilds a stored template; fails when the lifecycle fields contradict the status. An approved
    /// template's body goes through the Handlebars → Liquid migration rule (<see cref="TemplateMigration"/>):
    /// plain placeholders are kept, triple-stash and comments are rewritten, and a body that still is not
    /// valid Liquid for this service fails with <see cref="TemplateMigrationException"/> naming the template.
    /// Drafts and retired templates are restored as stored (a draft is linted again before approval).
    /// </summary>
    /// <exception cref="DomainValidationException">Invalid fields, or lifecycle fields that contradict the status.</exception>
    /// <exception cref="TemplateMigrationException">An approved body that cannot be rendered as Liquid.</exception>
    public static MessageTemplate Restore(
        TemplateKey key, string body, int maxSegments, Channel channel, TemplateStatus status,
        string? approvedBy, Instant? approvedAt, string? retiredBy, Instant? retiredAt)
    {
        var draft = CreateDraft(key, body, maxSegments, channel);
        var errors = new List<FieldError>();
        var approved = status != TemplateStatus.Draft;
        var retired = status == TemplateStatus.Retired;
        Require(errors, approved == (approvedBy is not null && approvedAt is not null), "approvedBy", $"must be set exactly when the status is approved or retired (status {status})");
        Require(errors, retired == (retiredBy is not null && retiredAt is not null), "retiredBy", $"must be set exactly when the status is retired (status {status})");
        ThrowIfAny(errors);
        var restored = draft with
        {
            Status = status, ApprovedBy = approvedBy, ApprovedAt = approvedAt, RetiredBy = retiredBy, RetiredAt = retiredAt,
        };
        return status == TemplateStatus.Approved ? MigrateToLiquid(restored) : restored;
    }

    private static MessageTemplate MigrateToLiquid(MessageTemplate stored)
    {
        var migration = TemplateMigration.ToLiquid(stored.Body);
        var findings = TemplateSyntax.Parse(migration.Body).Findings;
        if (findings.Count > 0)
        {
            throw new TemplateMigrationException(stored, [.. findings.Select(f => f.Message)]);
        }

        return migration.Changed ? stored with { Body = migration.Body } : stored;
    }

    /// <summary>A draft with a new body; approved and retired templates are immutable (create a new draft instead).</summary>
    public MessageTemplate WithBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        EnsureStatus(TemplateStatus.Draft, "edit");
        return this with { Body = body };
    }

    /// <summary>
    /// Lints the draft and approves it when there is no error finding, recording the reviewer and time.
    /// With errors the template stays a draft and the report says why.
    /// </summary>
    /// <exception cref="TemplateLifecycleException">The template is not a draft.</exception>
    public TemplateApproval Approve(string reviewer, Instant now, TemplateLinter linter, TemplateLintOptions options)
    {
        if (string.IsNullOrWhiteSpace(reviewer))
        {
            throw new DomainValidationException([new FieldError("reviewer", "must not be empty")]);
        }

        EnsureStatus(TemplateStatus.Draft, "approve");
        var report = linter.Lint(this, options);
        if (report.HasErrors)
        {
            return new TemplateApproval(false, this, report);
        }

        var approved = this with { Status = TemplateStatus.Approved, ApprovedBy = reviewer, ApprovedAt = now };
        return new TemplateApproval(true, approved, report);
    }

    /// <summary>Retires an approved template for good; it can never be sent or approved again.</summary>
    /// <exception cref="TemplateLifecycleException">The template is not approved.</exception>
    public MessageTemplate Retire(string by, Instant now)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            throw new DomainValidationException([new FieldError("retiredBy", "must not be empty")]);
        }

        EnsureStatus(TemplateStatus.Approved, "retire");
        return this with { Status = TemplateStatus.Retired, RetiredBy = by, RetiredAt = now };
    }

    private void EnsureStatus(TemplateStatus required, string action)
    {
        if (Status != required)
        {
            throw new TemplateLifecycleException(Key, Status, $"cannot {action} template {Key}: it is {Status}, only a {required} template can be {PastTense(action)}");
        }
    }

    private static string PastTense(string action) => action switch
    {
        "edit" => "edited",
        "approve" => "approved",
        _ => "retired",
    };

    private static void Require(List<FieldError> errors, bool ok, string path, string message)
    {
        if (!ok)
        {
            errors.Add(new FieldError(path, message));
        }
    }

    private static void ThrowIfAny(List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }
}
