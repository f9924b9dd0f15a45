using Microsoft.Extensions.Logging;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Simulated;

// The simulated provider's log messages. Phone numbers come in masked (PhoneNormalizer.Mask); borrower ids
// and client references are keys, not personal data.
public sealed partial class SimulatedSmsSender
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated SMS provider {Provider} started with seed {Seed}")]
    private static partial void LogStarted(ILogger logger, string provider, int seed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulated SMS provider {Provider} answered {Status} ({Code}) for {ClientReference} to {Phone}")]
    private static partial void LogRefused(ILogger logger, string provider, string clientReference, string phone, SmsSendStatus status, string? code);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulated SMS provider {Provider} is stopped: no receipt will follow for {ClientReference}")]
    private static partial void LogStopped(ILogger logger, string provider, string clientReference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated SMS provider {Provider} could not route the simulated {Kind} for {ClientReference}")]
    private static partial void LogRouteFailed(ILogger logger, Exception exception, string provider, CallbackKind kind, string clientReference);
}
