namespace OrleansReminders.Contracts.Dispatching;

/// <summary>How a message reaches the borrower (the wire twin of the domain's channel; same names, same order).</summary>
[GenerateSerializer, Alias("OrleansReminders.MessageChannel")]
public enum MessageChannel
{
    Sms,
    Email,
    Call,
    Agency,
}
