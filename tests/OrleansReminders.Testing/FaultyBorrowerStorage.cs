using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Testing;

/// <summary>What a <see cref="FaultyBorrowerStorage"/> throws on a write while <see cref="Fault"/> is set.</summary>
public sealed class StorageFault
{
    public Func<Exception>? Fault { get; set; }
}

/// <summary>
/// Wraps the borrower grain storage the service registered; while its <see cref="StorageFault"/> is set every
/// state write throws what it makes (a database error, a bug), reads and clears go through.
/// </summary>
public sealed class FaultyBorrowerStorage(IGrainStorage inner, StorageFault fault) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Replaces the registered borrower storage with one wrapped in a <see cref="FaultyBorrowerStorage"/> switched by <paramref name="fault"/>.</summary>
    public static void Install(IServiceCollection services, StorageFault fault) =>
        TranslatingGrainStorage.Decorate(services, StorageNames.Borrowers, inner => new FaultyBorrowerStorage(inner, fault));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        fault.Fault is { } make ? Task.FromException(make()) : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);
}

/// <summary>What Npgsql throws when the server cannot be reached, as far as the error mapping can tell.</summary>
[GenerateSerializer]
public sealed class StorageDownException : System.Data.Common.DbException
{
    public StorageDownException()
        : base("connection refused (test: storage is down)")
    {
    }
}
