using Microsoft.Extensions.Logging;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// What a borrower grain works with besides its stored state (registered by <c>AddBorrowerServices</c>);
/// <see cref="Clock"/> is the business clock (keyed <see cref="Time.BusinessClock.Key"/>); <see cref="HandOverLease"/>
/// is <c>Dispatch:HandOverLease</c>, in real time.
/// </summary>
public sealed record BorrowerGrainServices(
    TimeProvider Clock,
    BorrowerRules Rules,
    IMessageDispatcher Dispatcher,
    IContactEventStore Events,
    PhoneKeyer Phones,
    RecentEventCodec RecentCodec,
    StateDurability Storage,
    LocalStatusCache StatusCache,
    ILogger<BorrowerGrain> Logger,
    TimeSpan HandOverLease);
