namespace OrleansReminders.Domain.Templates;

/// <summary>What the linter requires of a template; the jurisdiction and brand decide the flags.</summary>
public sealed record TemplateLintOptions
{
    /// <summary>Whether a brand signature must appear (China requires one on every SMS).</summary>
    public bool RequireBrandSignature { get; init; } = true;

    /// <summary>
    /// The exact signature to require, e.g. 【Acme】 or "Acme Finance". When null, zh templates need some
    /// 【…】 signature and other locales report that no signature is configured.
    /// </summary>
    public string? BrandSignature { get; init; }

    /// <summary>Whether an opt-out hint is required (e.g. US Regulation F: every electronic message).</summary>
    public bool RequireOptOutHint { get; init; }

    /// <summary>Whether the template must use the {{ hotline }} placeholder.</summary>
    public bool RequireHotline { get; init; }

    public SmsSegmentLimits SegmentLimits { get; init; } = SmsSegmentLimits.Default;

    /// <summary>Values rendered to measure the longest message; null uses the locale profile's worst case.</summary>
    public TemplateValues? WorstCaseValues { get; init; }
}
