using Microsoft.Extensions.Logging;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// Log messages of the HTTP provider adapters. Phone numbers are passed in masked
/// (<see cref="PhoneMask"/>); message text is never logged.
/// </summary>
internal static partial class SmsHttpLog
{
    /// <summary>Logs a send's outcome (accepted at Debug, anything else at Warning) and returns it.</summary>
    public static SmsSendResult Outcome(ILogger logger, string provider, SmsMessage message, SmsSendResult result)
    {
        var maskedTo = PhoneMask.Mask(message.To);
        if (result.Status == SmsSendStatus.Accepted)
        {
            Accepted(logger, provider, message.ClientReference, maskedTo, result.ProviderMessageId);
        }
        else
        {
            NotAccepted(logger, provider, message.ClientReference, maskedTo, result.Status, result.Code, result.Detail);
        }

        return result;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug,
        Message = "{Provider} accepted {ClientReference} to {MaskedTo} as {ProviderMessageId}")]
    public static partial void Accepted(ILogger logger, string provider, string clientReference, string maskedTo, string? providerMessageId);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "{Provider} did not accept {ClientReference} to {MaskedTo}: {Status} {Code} {Detail}")]
    public static partial void NotAccepted(ILogger logger, string provider, string clientReference, string maskedTo, SmsSendStatus status, string? code, string? detail);
}
