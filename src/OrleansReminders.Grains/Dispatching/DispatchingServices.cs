using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

public static class DispatchingServices
{
    /// <summary>
    /// Borrowers hand messages to the dispatcher pool: the production <see cref="IMessageDispatcher"/>. The host
    /// registers the <see cref="ISmsSender"/>s named in <see cref="DispatchOptions"/>. Invalid options stop
    /// the silo at start-up, one line per problem, and so does an account (<see cref="DispatchOptions.Account"/>,
    /// <see cref="DispatchOptions.SecondaryAccount"/>) that names no registered sender.
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
        services.AddSingleton<IValidateOptions<DispatchOptions>, DispatchAccountsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMessageComposer, DefaultMessageComposer>();
        services.TryAddSingleton<IInboundRouter, GrainInboundRouter>();
        services.TryAddTransient(sp => new DispatcherServices(
            sp.GetRequiredService<IOptions<DispatchOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetKeyedService<TimeProvider>(Time.BusinessClock.Key) ?? sp.GetRequiredService<TimeProvider>(),
            sp.GetServices<ISmsSender>(),
            sp.GetRequiredService<IMessageComposer>(),
            sp.GetRequiredService<ILogger<DispatcherGrain>>(),
            sp.GetRequiredService<Hosting.StateDurability>(),
            sp.GetRequiredService<IFaultInjector>(),
            sp.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None));
        services.TryAddSingleton<IFaultInjector>(NoFaults.Instance);
        services.AddSingleton<IMessageDispatcher, PooledMessageDispatcher>();
        return services;
    }

    /// <summary>Each account named in <see cref="DispatchOptions"/> has a registered <see cref="ISmsSender"/>.</summary>
    internal sealed class DispatchAccountsValidator(IServiceProvider services) : IValidateOptions<DispatchOptions>
    {
        public ValidateOptionsResult Validate(string? name, DispatchOptions options)
        {
            HashSet<string> registered;
            try
            {
                // Resolved here, not in the constructor: the senders are built from options of their own, which
                // start-up validation reports by themselves when they are invalid.
                registered = services.GetServices<ISmsSender>().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            }
            catch (OptionsValidationException)
            {
                return ValidateOptionsResult.Skip;
            }

            var known = registered.Count == 0 ? "none is registered" : "registered: " + string.Join(", ", registered.Order(StringComparer.Ordinal));
            var problems = new List<string>();
            if (!string.IsNullOrWhiteSpace(options.Account) && !registered.Contains(options.Account))
            {
                problems.Add($"{DispatchOptions.SectionName}:{nameof(DispatchOptions.Account)}: no SMS sender named '{options.Account}' ({known})");
            }

            if (options.SecondaryAccount is { } secondary && !registered.Contains(secondary))
            {
                problems.Add($"{DispatchOptions.SectionName}:{nameof(DispatchOptions.SecondaryAccount)}: no SMS sender named '{secondary}' ({known})");
            }

            return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
        }
    }

    private sealed class DispatchOptionsValidator : IValidateOptions<DispatchOptions>
    {
        public ValidateOptionsResult Validate(string? name, DispatchOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
