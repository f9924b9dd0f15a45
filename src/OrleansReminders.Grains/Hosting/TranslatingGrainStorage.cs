using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansReminders.Contracts.Errors;

namespace OrleansReminders.Grains.Hosting;

/// <summary>
/// The borrowers' grain storage with its infrastructure exceptions translated at the storage boundary: a read,
/// write or clear that fails with a database or socket exception (Npgsql's among them) throws
/// <see cref="ServiceUnavailableException"/> instead. That covers what <see cref="InfrastructureExceptionFilter"/>
/// cannot see: a grain whose activation fails because its state cannot be read, where Orleans sends the
/// exception back to the caller on another silo. Storage's own exceptions (a version conflict) pass through.
/// </summary>
public sealed class TranslatingGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>
    /// Wraps the storage registered under <paramref name="name"/> (the last registration) in what
    /// <paramref name="wrap"/> makes of it; the wrapper forwards the lifecycle. This one and the tests' fault
    /// decorators go through here.
    /// </summary>
    public static void Decorate(IServiceCollection services, string name, Func<IGrainStorage, IGrainStorage> wrap)
    {
        var original = services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name));
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) => wrap(original.KeyedImplementationFactory is { } factory
            ? (IGrainStorage)factory(sp, key)
            : (IGrainStorage)(original.KeyedImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, original.KeyedImplementationType!))));
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translated(() => inner.ReadStateAsync(stateName, grainId, grainState), "read", grainId);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translated(() => inner.WriteStateAsync(stateName, grainId, grainState), "write", grainId);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translated(() => inner.ClearStateAsync(stateName, grainId, grainState), "clear", grainId);

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);

    private static async Task Translated(Func<Task> operation, string what, GrainId grainId)
    {
        try
        {
            await operation();
        }
        catch (Exception ex) when (InfrastructureExceptionFilter.IsInfrastructure(ex))
        {
            throw new ServiceUnavailableException($"State {what} for {grainId} failed: storage unavailable ({ex.GetType().Name}: {ex.Message})");
        }
    }
}
