namespace OrleansReminders.Domain.Phones;

/// <summary>What a number is validated for.</summary>
public enum PhoneUse
{
    /// <summary>Text messages: the number must be a mobile (or a number the plan cannot tell from one, as in the US).</summary>
    Sms,

    /// <summary>Voice calls: any valid number.</summary>
    Call,
}
