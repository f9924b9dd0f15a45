using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.TestingHost;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Tests.Borrowers;

/// <summary>
/// One in-process silo with in-memory storage and reminders, a fake business clock shared by the grains
/// and the reminder service, and the recording dispatcher. Tests use fresh borrower ids instead of clean-up.
/// </summary>
public sealed class BorrowerClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public RecordingMessageDispatcher Dispatcher { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Borrowers);
            silo.UseInMemoryReminderService();
            silo.Services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, Clock);
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            silo.Services.PostConfigure<ReminderOptions>(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromMinutes(1);
                o.RefreshReminderListPeriod = TimeSpan.FromMinutes(1);
                o.InitializationTimeout = TimeSpan.FromSeconds(30);
            });
            silo.Services.AddSingleton(Dispatcher);
            silo.Services.AddBorrowerServices();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Moves the shared clock forward in small steps, so every reminder tick on the way fires.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        var stride = step ?? TimeSpan.FromMinutes(30);
        for (var left = by; left > TimeSpan.Zero; left -= stride)
        {
            Clock.Advance(left < stride ? left : stride);
            await Task.Yield();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BorrowerCluster : ICollectionFixture<BorrowerClusterFixture>
{
    public const string Name = "Borrower cluster";
}
