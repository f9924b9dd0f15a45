namespace OrleansReminders.Domain.Common;

/// <summary>
/// One problem with one input or configuration field, named by its path
/// (for example <c>tiers.high.steps[2].offsetDays</c>), with the reason in plain words.
/// </summary>
public sealed record FieldError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
