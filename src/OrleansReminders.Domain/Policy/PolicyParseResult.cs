using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>The outcome of parsing policy data: a value when there were no errors, otherwise every error found.</summary>
public sealed record PolicyParseResult<T>(T? Value, IReadOnlyList<FieldError> Errors)
    where T : class
{
    public bool IsValid => Errors.Count == 0 && Value is not null;

    /// <summary>The value, or a <see cref="DomainValidationException"/> listing every error.</summary>
    public T GetValueOrThrow() => IsValid ? Value! : throw new DomainValidationException(Errors);
}
