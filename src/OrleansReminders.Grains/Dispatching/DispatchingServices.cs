using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

public static class DispatchingServices
{
    /// <summary>
    /// Borrowers hand messages to the dispatcher pool (instead of the recording dispatcher). The host
    /// registers the <see cref="ISmsSender"/>s named in <see cref="DispatchOptions"/>. Invalid options stop
    /// the silo at start-up, one line per problem.
    /// </summary>
    public static IServiceCollection AddDispatcherPool(this IServiceCollection services, Action<DispatchOptions>? configure = null)
    {
        var builder = services.AddOptions<DispatchOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<DispatchOptions>, DispatchOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMessageComposer, DefaultMessageComposer>();
        services.TryAddSingleton<IInboundRouter, GrainInboundRouter>();
        services.TryAddTransient(sp => new DispatcherServices(
            sp.GetRequiredService<IOptions<DispatchOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetServices<ISmsSender>(),
            sp.GetRequiredService<IMessageComposer>(),
            sp.GetRequiredService<ILogger<DispatcherGrain>>(),
            sp.GetRequiredService<Hosting.StateDurability>()));
        services.RemoveAll<IMessageDispatcher>();
        services.AddSingleton<IMessageDispatcher, PooledMessageDispatcher>();
        return services;
    }

    private sealed class DispatchOptionsValidator : IValidateOptions<DispatchOptions>
    {
        public ValidateOptionsResult Validate(string? name, DispatchOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
