using System.Globalization;

namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// The simulated provider's record of accepted sends (<see cref="SimulatedProviderOptions.JournalPath"/>): one
/// line per send, "{unix ms} {client reference}" on the real clock given (the driver compares silos by it, not by
/// the business clock), flushed as written so a killed process loses nothing it
/// accepted before.
/// </summary>
internal sealed class SendJournal(string path, TimeProvider realClock) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };

    public void Accepted(string clientReference)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{realClock.GetUtcNow().ToUnixTimeMilliseconds()} {clientReference}");
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }
}
