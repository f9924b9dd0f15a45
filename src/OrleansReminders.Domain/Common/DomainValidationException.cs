namespace OrleansReminders.Domain.Common;

/// <summary>Thrown when input or configuration breaks one or more rules; carries one error per problem.</summary>
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyList<FieldError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<FieldError> Errors { get; }
}
