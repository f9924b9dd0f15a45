using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// Picks the approved template to send for a stage, tier and locale. With an experiment the borrower's stable
/// variant is used; when that variant has no approved template (or there is no experiment) the
/// <see cref="TemplateKey.DefaultVariant"/> is used. Drafts and retired templates are never picked.
/// </summary>
public static class TemplateSelector
{
    /// <returns>The template, or null when no approved template fits.</returns>
    public static MessageTemplate? Select(
        IEnumerable<MessageTemplate> templates, string stage, RiskTier tier, string locale, string borrowerId, Experiment? experiment = null)
    {
        var candidates = templates
            .Where(t => t.Status == TemplateStatus.Approved
                && t.Key.Stage == stage
                && t.Key.Tier == tier
                && string.Equals(t.Key.Locale, locale, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var variant = experiment is null ? null : VariantAssigner.Assign(borrowerId, experiment);
        return candidates.FirstOrDefault(t => t.Key.Variant == variant)
            ?? candidates.FirstOrDefault(t => t.Key.Variant == TemplateKey.DefaultVariant);
    }
}
