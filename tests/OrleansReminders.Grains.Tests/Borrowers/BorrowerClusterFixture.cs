using OrleansReminders.Grains.Borrowers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.TestingHost;
using OrleansReminders.Grains.History;
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

    /// <summary>The history table: in memory, and able to fail on demand.</summary>
    public SwitchableContactEventStore Events { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The silo's status cache (the test cluster has one silo).</summary>
    public LocalStatusCache StatusCache { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Borrowers);
            silo.UseOrleansRemindersStateFormat();
            silo.Services.AddSingleton<IContactEventStore>(Events);
            silo.UseInMemoryReminderService();
            silo.Services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, Clock);
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            silo.Services.PostConfigure<ReminderOptions>(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromMinutes(1);
                o.RefreshReminderListPeriod = TimeSpan.FromMinutes(1);
                // Daily reminders stay loaded and armed between ticks, so tests can wait for the armed wait
                // (ReminderWatch) instead of racing the refresh that would otherwise load each tick late.
                o.ReminderLoadingWindow = TimeSpan.FromDays(3);
                o.InitializationTimeout = TimeSpan.FromSeconds(30);
            });
            silo.Services.AddSingleton(Dispatcher);
            silo.Services.AddSingleton<IMessageDispatcher>(Dispatcher);
            silo.Services.AddSingleton(_ => StatusCache = new LocalStatusCache(Clock));
            silo.Services.AddBorrowerServices();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class BorrowerCluster : ICollectionFixture<BorrowerClusterFixture>
{
    public const string Name = "Borrower cluster";
}

/// <summary>An in-memory history store that refuses appends while <see cref="Failing"/> is set.</summary>
public sealed class SwitchableContactEventStore : IContactEventStore
{
    private readonly InMemoryContactEventStore _inner = new();

    public bool Failing { get; set; }

    public Task AppendAsync(IReadOnlyCollection<Contracts.History.ContactEvent> events, CancellationToken cancellationToken = default) =>
        Failing ? Task.FromException(new ContactEventStoreUnavailableException("history table unavailable (test)")) : _inner.AppendAsync(events, cancellationToken);

    public IAsyncEnumerable<Contracts.History.ContactEvent> ReadPeriodAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default) =>
        _inner.ReadPeriodAsync(from, to, limit, cancellationToken);

    public Task<Contracts.History.ContactEventPage> ReadAsync(string borrowerId, string? cursor, int limit, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(borrowerId, cursor, limit, cancellationToken);
}
