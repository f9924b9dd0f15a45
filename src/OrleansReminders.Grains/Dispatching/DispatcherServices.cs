using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// What a dispatcher grain works with (registered by <c>AddDispatcherPool</c>; <see cref="Faults"/> is
/// <see cref="NoFaults"/> outside fault tests). <see cref="Time"/> is real time (send slots, retries, pacing);
/// <see cref="Business"/> is the business clock a message's send-by is reckoned on. <see cref="Stopping"/> is the
/// host's ApplicationStopping.
/// </summary>
public sealed record DispatcherServices(
    IOptions<DispatchOptions> Options,
    TimeProvider Time,
    TimeProvider Business,
    IEnumerable<ISmsSender> Senders,
    IMessageComposer Composer,
    ILogger<DispatcherGrain> Logger,
    StateDurability Durability,
    IFaultInjector Faults,
    CancellationToken Stopping = default);
