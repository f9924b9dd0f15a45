using System.Text.RegularExpressions;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>Borrower ids as the API accepts them: 1–64 letters, digits, '.', '_' or '-' (grain, reminder and message keys).</summary>
public static partial class BorrowerIds
{
    public const string Rule = "must be 1 to 64 letters, digits, '.', '_' or '-'";

    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= DebtRules.MaxIdLength } && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Pattern();
}
