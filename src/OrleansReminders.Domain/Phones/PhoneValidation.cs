using System.Diagnostics.CodeAnalysis;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Phones;

/// <summary>Either a <see cref="NormalizedPhone"/> or a <see cref="FieldError"/> naming the caller's field.</summary>
public sealed record PhoneValidation
{
    private PhoneValidation(NormalizedPhone? phone, FieldError? error)
    {
        Phone = phone;
        Error = error;
    }

    public NormalizedPhone? Phone { get; }

    public FieldError? Error { get; }

    [MemberNotNullWhen(true, nameof(Phone))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Phone is not null;

    public static PhoneValidation Valid(NormalizedPhone phone) => new(phone, null);

    public static PhoneValidation Invalid(FieldError error) => new(null, error);
}
