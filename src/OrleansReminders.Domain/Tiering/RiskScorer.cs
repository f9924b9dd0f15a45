using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Tiering;

/// <summary>
/// Risk score and tier. Each factor earns points between 0 and its weight <c>w</c> (weights add up to 100):
/// <code>
/// daysPastDue        = w_dpd    × min(max(dpd, 0), dpdCap) / dpdCap
/// amountDue          = w_amount × clamp((amount − low) / (high − low), 0, 1)
/// lateShare          = w_late   × clamp(share, 0, 1)
/// priorDelinquencies = w_prior  × min(count, priorCap) / priorCap
/// creditScore        = w_credit × clamp((good − score) / (good − poor), 0, 1)    (0 when the score is missing)
/// score              = round(sum, away from zero), 0..100
/// tier               = high if score ≥ highFrom, medium if score ≥ mediumFrom, else low
/// </code>
/// Every factor is non-decreasing in its risk direction, so more days past due, a larger amount, a larger
/// late share or more prior delinquencies never lower the score, and a missing credit score never raises
/// it above what the best score would give. Defaults (<see cref="TieringOptions"/>): w = 35/15/25/15/10,
/// dpdCap 60, amount 1,000..20,000, priorCap 3, credit 580..720, medium from 30, high from 60.
/// An ops <see cref="TierOverride"/> replaces the tier (not the score) until cleared.
/// </summary>
public static class RiskScorer
{
    /// <summary>Scores a borrower; <paramref name="tierOverride"/> wins over the computed tier while set.</summary>
    /// <exception cref="DomainValidationException">Invalid input (negative amount or count, share outside 0..1).</exception>
    public static TierAssessment Assess(TieringInput input, TieringOptions options, TierOverride? tierOverride = null)
    {
        ValidateInput(input);
        var contributions = Contributions(input, options);
        var score = (int)Math.Clamp(Math.Round(contributions.Sum(c => c.Points), MidpointRounding.AwayFromZero), 0m, 100m);
        return new TierAssessment(score, TierFor(score, options), contributions, tierOverride);
    }

    /// <summary>Tier of a score under the thresholds of <paramref name="options"/>.</summary>
    public static RiskTier TierFor(int score, TieringOptions options) =>
        score >= options.HighFrom ? RiskTier.High
        : score >= options.MediumFrom ? RiskTier.Medium
        : RiskTier.Low;

    private static List<ScoreContribution> Contributions(TieringInput input, TieringOptions options) =>
    [
        Factor("daysPastDue", input.DaysPastDue, options.DaysPastDueWeight,
            Math.Min(Math.Max(input.DaysPastDue, 0), options.DaysPastDueCap) / (decimal)options.DaysPastDueCap),
        Factor("amountDue", input.AmountDue, options.AmountWeight,
            (input.AmountDue - options.AmountLowThreshold) / (options.AmountHighThreshold - options.AmountLowThreshold)),
        Factor("lateShare", input.LateShareLast12Months, options.LateShareWeight, input.LateShareLast12Months),
        Factor("priorDelinquencies", input.PriorDelinquencies, options.PriorDelinquenciesWeight,
            Math.Min(input.PriorDelinquencies, options.PriorDelinquenciesCap) / (decimal)options.PriorDelinquenciesCap),
        Factor("creditScore", input.CreditScore, options.CreditScoreWeight,
            input.CreditScore is { } score
                ? (options.CreditScoreGood - score) / (decimal)(options.CreditScoreGood - options.CreditScorePoor)
                : 0m),
    ];

    private static ScoreContribution Factor(string name, decimal? raw, decimal weight, decimal fraction) =>
        new(name, raw, Math.Round(weight * Math.Clamp(fraction, 0m, 1m), 4), weight);

    private static void ValidateInput(TieringInput input)
    {
        var errors = new List<FieldError>();
        if (input.AmountDue < 0)
        {
            errors.Add(new FieldError("amountDue", "must be ≥ 0"));
        }

        if (input.LateShareLast12Months is < 0 or > 1)
        {
            errors.Add(new FieldError("lateShareLast12Months", "must be between 0 and 1"));
        }

        if (input.PriorDelinquencies < 0)
        {
            errors.Add(new FieldError("priorDelinquencies", "must be ≥ 0"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }
}
