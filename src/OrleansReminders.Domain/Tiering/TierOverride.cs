using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Tiering;

/// <summary>
/// A tier set by ops. It wins over the computed tier until it is cleared (there is no expiry);
/// the reason, operator and time go to the audit log.
/// </summary>
public sealed record TierOverride(RiskTier Tier, string Reason, string Operator, Instant SetAt)
{
    /// <summary>Creates an override, rejecting blank reason or operator (both are required for the audit).</summary>
    public static TierOverride Create(RiskTier tier, string reason, string @operator, Instant setAt, string path = "override")
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new FieldError($"{path}.reason", "is required"));
        }

        if (string.IsNullOrWhiteSpace(@operator))
        {
            errors.Add(new FieldError($"{path}.operator", "is required"));
        }

        if (!Enum.IsDefined(tier))
        {
            errors.Add(new FieldError($"{path}.tier", $"unknown tier {(int)tier}"));
        }

        return errors.Count == 0
            ? new TierOverride(tier, reason.Trim(), @operator.Trim(), setAt)
            : throw new DomainValidationException(errors);
    }
}
