namespace OrleansReminders.Domain.Phones;

/// <summary>Line type of a valid number, as far as the numbering plan tells.</summary>
public enum PhoneLineType
{
    Mobile,

    /// <summary>The plan does not distinguish (US, Canada): accepted for SMS.</summary>
    FixedLineOrMobile,
    FixedLine,
    TollFree,
    Voip,
    Other,
}
