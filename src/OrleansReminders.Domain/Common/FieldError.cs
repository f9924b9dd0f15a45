namespace OrleansReminders.Domain.Common;

/// <summary>
/// One problem with one input or configuration field, named by its path
/// (for example <c>tiers.high.steps[2].offsetDays</c>), with the reason in plain words.
/// </summary>
public sealed record FieldError(string Path, string Message)
{
    /// <summary>The 1-based line of the field in the text it was read from, when known.</summary>
    public int? Line { get; init; }

    public override string ToString() => Line is { } line ? $"line {line}: {Path}: {Message}" : $"{Path}: {Message}";
}
