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
            yield return UntilError;
        }

        if (!Kinds.Contains(kind))
        {
            yield return KindError;
        }
    }

    /// <summary>
    /// The same rule where only the UTC date is known (the API, before any grain call): the borrower's local
    /// today lies within a day of it, so this refuses only what the grain would refuse for every such today.
    /// </summary>
    public static IEnumerable<FieldError> ValidateAtEdge(LocalDate until, string kind, LocalDate utcToday)
    {
        if (until <= utcToday.PlusDays(-1) || until > utcToday.PlusDays(1) + MaxSuspension)
        {
            yield return UntilError;
        }

        if (!Kinds.Contains(kind))
        {
            yield return KindError;
        }
    }

    private static FieldError UntilError => new("until", "must be after today and at most 6 months ahead");

    private static FieldError KindError => new("kind", $"must be one of {string.Join(", ", Kinds)}");
}
