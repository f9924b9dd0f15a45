using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// Borrower ids as the API and the import accept them: 1–64 letters, digits, '.', '_' or '-', and not made
/// of dots alone ("." and ".." are path segments: a URL could never reach such a borrower). They become grain,
/// reminder and message keys. Other ids (debt, payment, reply) are <see cref="IsValidReference"/>.
/// </summary>
public static partial class BorrowerIds
{
    public const string Rule = "must be 1 to 64 letters, digits, '.', '_' or '-', and not only dots";

    public const string ReferenceRule = "must be 1 to 64 characters with no control characters";

    public static bool IsValid([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= InputLimits.MaxIdLength } && Pattern().IsMatch(id) && id.AsSpan().ContainsAnyExcept('.');

    /// <summary>A debt, payment or reply id: 1–64 characters, not blank, no control characters.</summary>
    public static bool IsValidReference([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= InputLimits.MaxIdLength } && !string.IsNullOrWhiteSpace(id) && !id.Any(char.IsControl);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Pattern();
}
