using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// The borrowers' way into the dispatcher pool: a borrower's messages always go to the same dispatcher
/// (a stable hash of the borrower id over <see cref="DispatchOptions.Dispatchers"/>), which keeps its
/// messages in order and lets that dispatcher recognise a resent key.
/// </summary>
public sealed class PooledMessageDispatcher(IGrainFactory grains, IOptions<DispatchOptions> options) : IMessageDispatcher
{
    public Task<DispatchResult> DispatchAsync(OutboundMessage message, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IDispatcherGrain>(DispatcherFor(message.BorrowerId, options.Value.Dispatchers)).EnqueueAsync(message);

    public static string DispatcherFor(string borrowerId, int dispatchers) =>
        (XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(borrowerId)) % (uint)dispatchers).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
