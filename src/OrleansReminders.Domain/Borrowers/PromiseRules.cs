using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// A promise to pay or an agreed plan suspends the ladder until its date: an extension of at most six
/// months (DESIGN.md), instalments, or a reduced instalment amount.
/// </summary>
public static class PromiseRules
{
    public static readonly Period MaxSuspension = Period.FromMonths(6);

    public static readonly IReadOnlySet<string> Kinds =
        new HashSet<string>(["promise", "extension", "instalments", "reduced-instalment"], StringComparer.Ordinal);

    public static IEnumerable<FieldError> Validate(LocalDate until, string kind, LocalDate today)
    {
        if (until <= today || until > today + MaxSuspension)
        {
            yield return new FieldError("until", "must be after today and at most 6 months ahead");
        }

        if (!Kinds.Contains(kind))
        {
            yield return new FieldError("kind", $"must be one of {string.Join(", ", Kinds)}");
        }
    }
}
