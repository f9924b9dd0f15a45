namespace OrleansReminders.PostgreSql.Tests.Smoke;

/// <summary>A minimal grain that proves storage and reminders work on a configured silo.</summary>
[Alias("OrleansReminders.Tests.ISmokeGrain")]
public interface ISmokeGrain : IGrainWithStringKey
{
    /// <summary>Stores a text in persistent state.</summary>
    Task WriteAsync(string text);

    /// <summary>Reads the stored text and tick count.</summary>
    Task<SmokeSnapshot> ReadAsync();

    /// <summary>Registers a reminder that counts its ticks in persistent state.</summary>
    Task StartReminderAsync(TimeSpan dueTime, TimeSpan period);

    /// <summary>Unregisters the reminder.</summary>
    Task StopReminderAsync();
}

[GenerateSerializer, Immutable, Alias("OrleansReminders.Tests.SmokeSnapshot")]
public sealed record SmokeSnapshot(
    [property: Id(0)] string? Text,
    [property: Id(1)] int Ticks);
