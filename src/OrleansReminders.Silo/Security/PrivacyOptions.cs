using OrleansReminders.Grains.Borrowers;

namespace OrleansReminders.Silo.Security;

/// <summary>Configuration section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>
    /// Secret of the keyed hash that names the phone-directory grains (<see cref="PhoneKeyer"/>). Keep it secret
    /// and stable; the development value is refused outside Development on PostgreSQL.
    /// </summary>
    [Redact]
    public string PhoneKeySecret { get; set; } = PhoneKeyer.DevelopmentSecret;
}
