using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.PostgreSql.Tests.Infrastructure;

namespace OrleansReminders.PostgreSql.Tests.Dispatching;

/// <summary>
/// Three in-process silos on the real PostgreSQL (grain storage and reminders through the ADO.NET providers),
/// the dispatcher pool in front of one provider account shared by all silos (<see cref="CountingProvider"/>,
/// the oracle for "sent twice") and a fault injector that can stop any silo at a step of the send path.
/// One per test: each kills a silo, and the survivors carry on (a silo started to replace a killed one in
/// the same cluster was seen to keep its reminder service initialising for minutes in this test host).
/// </summary>
public sealed class SendPathClusterFixture : IAsyncLifetime, IAsyncDisposable
{
    public const int Dispatchers = 2;
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly ConcurrentBag<Npgsql.NpgsqlDataSource> _dataSources = [];

    public CountingProvider Provider { get; } = new("counting");

    public StoppingFaults Faults { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var serviceId = "sendpath-" + Guid.NewGuid().ToString("N")[..8];
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = serviceId;
        builder.ConfigureSilo((_, silo) =>
        {
            // A small pool per silo, disposed with the cluster (a killed silo does not close its own).
            var dataSource = PostgreSqlPool.Create(new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { MaxPoolSize = 8 }.ConnectionString);
            _dataSources.Add(dataSource);
            silo.Services.AddSingleton(dataSource);
            silo.AddAdoNetGrainStorage(StorageNames.Borrowers, o => (o.Invariant, o.DataSource) = (PostgreSqlInvariant.Name, dataSource));
            silo.UseAdoNetReminderService(o => (o.Invariant, o.DataSource) = (PostgreSqlInvariant.Name, dataSource));
            silo.UseOrleansRemindersStateFormat();
            // A killed silo is declared dead within seconds, so its range of reminders and grains moves on.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.Configure<ReminderOptions>(o => o.InitializationTimeout = TimeSpan.FromSeconds(60));
            silo.Services.AddSingleton(new StateDurability(SurvivesRestart: true));
            silo.Services.AddSingleton<IContactEventStore, InMemoryContactEventStore>();
            silo.Services.AddSingleton<ISmsSender>(Provider);
            silo.Services.AddSingleton<IFaultInjector>(Faults);
            silo.Services.AddDispatcherPool(o =>
            {
                o.Account = Provider.Name;
                o.RatePerSecond = 20;
                o.Dispatchers = Dispatchers;
                o.HandOverLease = Lease;
                o.AcceptedKeysKept = TimeSpan.FromMinutes(1);
            });
            silo.Services.AddBorrowerServices();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public static async Task<SendPathClusterFixture> StartAsync()
    {
        var cluster = new SendPathClusterFixture();
        await cluster.InitializeAsync();
        return cluster;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>The silo a dispatcher runs on (it answers while a fault holds its send loop: it is reentrant).</summary>
    public async Task<InProcessSiloHandle> SiloOfDispatcherAsync(string dispatcher)
    {
        var stats = await Grains.GetGrain<IDispatcherGrain>(dispatcher).GetStatsAsync();
        return Cluster.Silos.Single(s => stats.Silo.Contains(s.SiloAddress.Endpoint.ToString(), StringComparison.Ordinal));
    }

    /// <summary>Kills a silo (no deactivation, no hand-back); the two others carry on.</summary>
    public async Task KillAsync(InProcessSiloHandle silo)
    {
        try
        {
            await Cluster.KillSiloAsync(silo);
        }
        catch (TaskCanceledException)
        {
            // Killed while it was stopping in order: the stop is what gets cancelled.
        }

    }

    /// <summary>A borrower in the US (a calendar by rule covers every date) where it is morning, one debt two days overdue: one message is due now.</summary>
    public static BorrowerUpsert OverdueBorrower() => new("+12025550123", "en-US", [TestZones.WhereItIsMorning(DateTimeOffset.UtcNow)], "US",
        [new DebtInput("loan-1", 250m, "USD", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2))]);

    /// <summary>A new borrower id whose messages go to <paramref name="dispatcher"/>.</summary>
    public static string BorrowerFor(string dispatcher, string prefix)
    {
        while (true)
        {
            var id = prefix + "-" + Guid.NewGuid().ToString("N")[..10];
            if (PooledMessageDispatcher.DispatcherFor(id, Dispatchers) == dispatcher)
            {
                return id;
            }
        }
    }
}

/// <summary>
/// A provider account that accepts everything and counts acceptances per client reference, answers lookups,
/// and refuses the messages <see cref="Throttle"/> matches (throttled) so they wait in a dispatcher's queue.
/// </summary>
public sealed class CountingProvider(string name) : ISmsSender, ISmsLookup
{
    private readonly ConcurrentDictionary<string, int> _accepted = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public Func<string, bool>? Throttle { get; set; }

    public int Attempts(string prefix) => _attempts.Count(a => a.StartsWith(prefix, StringComparison.Ordinal));

    public int AcceptedTimes(string key) => _accepted.GetValueOrDefault(key);

    public IReadOnlyDictionary<string, int> AcceptedWith(string prefix) =>
        _accepted.Where(a => a.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    private readonly ConcurrentBag<string> _attempts = [];

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        _attempts.Add(message.ClientReference);
        if (Throttle?.Invoke(message.ClientReference) == true)
        {
            return Task.FromResult(new SmsSendResult(SmsSendStatus.Throttled, Code: "test-throttle", RetryAfter: TimeSpan.FromMilliseconds(300)));
        }

        _accepted.AddOrUpdate(message.ClientReference, 1, (_, n) => n + 1);
        return Task.FromResult(SmsSendResult.Accepted("c-" + message.ClientReference));
    }

    public Task<bool?> WasAcceptedAsync(string clientReference, CancellationToken cancellationToken = default) =>
        Task.FromResult<bool?>(_accepted.ContainsKey(clientReference));
}

/// <summary>
/// Stops the send path at an armed <see cref="FaultPoint"/> for matching keys: the call never returns (the
/// test then kills that silo, which is a crash at exactly that step). Unarmed points pass.
/// </summary>
public sealed class StoppingFaults : IFaultInjector
{
    private volatile Armed? _armed;

    public Task Arm(FaultPoint point, Func<string, bool> matches)
    {
        var armed = new Armed(point, matches);
        _armed = armed;
        return armed.Hit.Task;
    }

    public void Disarm() => _armed = null;

    public ValueTask AtAsync(FaultPoint point, string messageKey)
    {
        if (_armed is { } armed && armed.Point == point && armed.Matches(messageKey))
        {
            _armed = null;
            armed.Hit.TrySetResult();
            return new ValueTask(new TaskCompletionSource().Task); // never completes: the silo dies here
        }

        return ValueTask.CompletedTask;
    }

    private sealed record Armed(FaultPoint Point, Func<string, bool> Matches)
    {
        public TaskCompletionSource Hit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
