using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>What a dispatcher grain works with (registered by <c>AddDispatcherPool</c>; <see cref="Faults"/> is <see cref="NoFaults"/> outside fault tests).</summary>
public sealed record DispatcherServices(
    IOptions<DispatchOptions> Options,
    TimeProvider Time,
    IEnumerable<ISmsSender> Senders,
    IMessageComposer Composer,
    ILogger<DispatcherGrain> Logger,
    StateDurability Durability,
    IFaultInjector Faults);
