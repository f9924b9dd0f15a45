using System.ComponentModel.DataAnnotations;
using Orleans;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// One account on Twilio's Programmable Messaging API (or an API of the same shape). Either
/// <see cref="From"/> or <see cref="MessagingServiceSid"/> names the sender; with both, the messaging
/// service wins (it picks the number from its pool).
/// </summary>
public sealed class TwilioStyleOptions : IValidatableObject
{
    public const string SectionName = "Sms:Twilio";

    /// <summary>The account's name in configuration, logs and metrics (<see cref="Grains.Messaging.ISmsSender.Name"/>).</summary>
    [Required]
    public string Name { get; set; } = "twilio";

    /// <summary>API root, without the version path.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>Account SID (<c>AC…</c>): the path segment and the Basic-auth user name.</summary>
    [Required]
    public string AccountSid { get; set; } = "";

    /// <summary>Auth token: the Basic-auth password and the key of the webhook signatures.</summary>
    [Required, Redact]
    public string AuthToken { get; set; } = "";

    /// <summary>Sender number in E.164 (or an alphanumeric sender id where the destination allows one).</summary>
    public string? From { get; set; }

    /// <summary>Messaging service SID (<c>MG…</c>), sent instead of <see cref="From"/> when set.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>
    /// Our status-callback endpoint, exactly as Twilio will call it (the webhook signature covers the full
    /// URL). The sender appends <c>ref=&lt;client reference&gt;</c> to it so every receipt routes back.
    /// </summary>
    [Url]
    public string? StatusCallbackUrl { get; set; }

    /// <summary>How long one API call may take before it counts as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(MessagingServiceSid))
        {
            yield return new ValidationResult(
                "Set From or MessagingServiceSid: Twilio needs a sender.",
                [nameof(From), nameof(MessagingServiceSid)]);
        }
    }
}
