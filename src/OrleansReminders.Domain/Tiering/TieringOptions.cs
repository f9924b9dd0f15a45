using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Tiering;

/// <summary>
/// Weights and thresholds of the risk score (see <see cref="RiskScorer"/> for the formula).
/// The five weights must add up to 100 so that the score is 0..100. Amount thresholds are plain numbers
/// in the portfolio's currency, so the same formula serves CNY, USD or INR books.
/// </summary>
public sealed record TieringOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Tiering";

    /// <summary>Points at (or beyond) <see cref="DaysPastDueCap"/> days past due.</summary>
    public decimal DaysPastDueWeight { get; init; } = 35m;

    /// <summary>Days past due that earn the full weight.</summary>
    public int DaysPastDueCap { get; init; } = 60;

    /// <summary>Points at (or above) <see cref="AmountHighThreshold"/>.</summary>
    public decimal AmountWeight { get; init; } = 15m;

    /// <summary>Amount at or below which the amount adds nothing.</summary>
    public decimal AmountLowThreshold { get; init; } = 1_000m;

    /// <summary>Amount at or above which the amount adds its full weight.</summary>
    public decimal AmountHighThreshold { get; init; } = 20_000m;

    /// <summary>Points when every instalment of the last 12 months was late.</summary>
    public decimal LateShareWeight { get; init; } = 25m;

    /// <summary>Points at (or beyond) <see cref="PriorDelinquenciesCap"/> prior delinquencies.</summary>
    public decimal PriorDelinquenciesWeight { get; init; } = 15m;

    /// <summary>Prior delinquencies that earn the full weight.</summary>
    public int PriorDelinquenciesCap { get; init; } = 3;

    /// <summary>Points at (or below) <see cref="CreditScorePoor"/>; a missing score earns none.</summary>
    public decimal CreditScoreWeight { get; init; } = 10m;

    /// <summary>Score at or below which the credit factor adds its full weight.</summary>
    public int CreditScorePoor { get; init; } = 580;

    /// <summary>Score at or above which the credit factor adds nothing.</summary>
    public int CreditScoreGood { get; init; } = 720;

    /// <summary>Lowest score of the medium tier (below: low).</summary>
    public int MediumFrom { get; init; } = 30;

    /// <summary>Lowest score of the high tier.</summary>
    public int HighFrom { get; init; } = 60;

    /// <summary>Every problem with these options, paths under <paramref name="path"/>.</summary>
    public IReadOnlyList<FieldError> Validate(string path = "tiering")
    {
        var errors = new List<FieldError>();
        void Check(bool ok, string name, string message)
        {
            if (!ok)
            {
                errors.Add(new FieldError($"{path}.{name}", message));
            }
        }

        decimal[] weights = [DaysPastDueWeight, AmountWeight, LateShareWeight, PriorDelinquenciesWeight, CreditScoreWeight];
        Check(DaysPastDueWeight >= 0, "daysPastDueWeight", "must be ≥ 0");
        Check(AmountWeight >= 0, "amountWeight", "must be ≥ 0");
        Check(LateShareWeight >= 0, "lateShareWeight", "must be ≥ 0");
        Check(PriorDelinquenciesWeight >= 0, "priorDelinquenciesWeight", "must be ≥ 0");
        Check(CreditScoreWeight >= 0, "creditScoreWeight", "must be ≥ 0");
        Check(weights.Sum() == 100m, "weights", $"the five weights must add up to 100 (they add up to {weights.Sum()})");
        Check(DaysPastDueCap >= 1, "daysPastDueCap", "must be ≥ 1");
        Check(PriorDelinquenciesCap >= 1, "priorDelinquenciesCap", "must be ≥ 1");
        Check(AmountLowThreshold >= 0, "amountLowThreshold", "must be ≥ 0");
        Check(AmountHighThreshold > AmountLowThreshold, "amountHighThreshold", $"must be > amountLowThreshold ({AmountLowThreshold})");
        Check(CreditScoreGood > CreditScorePoor, "creditScoreGood", $"must be > creditScorePoor ({CreditScorePoor})");
        Check(MediumFrom is > 0 and <= 100, "mediumFrom", "must be between 1 and 100");
        Check(HighFrom > MediumFrom && HighFrom <= 100, "highFrom", $"must be > mediumFrom ({MediumFrom}) and ≤ 100");
        return errors;
    }

    /// <summary>Throws <see cref="DomainValidationException"/> listing every problem, if any.</summary>
    public TieringOptions EnsureValid(string path = "tiering")
    {
        var errors = Validate(path);
        return errors.Count == 0 ? this : throw new DomainValidationException(errors);
    }
}
