using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Tiering;

/// <summary>A borrower's score, the tier it gives, and the tier that applies.</summary>
/// <param name="Score">0..100, the rounded sum of <paramref name="Contributions"/>.</param>
/// <param name="ComputedTier">Tier from the score and thresholds.</param>
/// <param name="Contributions">Every factor with its points (they add up to the unrounded score).</param>
/// <param name="Override">The active ops override, if any.</param>
public sealed record TierAssessment(
    int Score,
    RiskTier ComputedTier,
    IReadOnlyList<ScoreContribution> Contributions,
    TierOverride? Override = null)
{
    /// <summary>The tier in force: the override's while one is set, else the computed one.</summary>
    public RiskTier EffectiveTier => Override?.Tier ?? ComputedTier;

    /// <summary>Whether the effective tier comes from ops rather than the score.</summary>
    public bool IsOverridden => Override is not null;
}
