using Orleans.Concurrency;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Dispatching;
using OrleansReminders.Grains.Diagnostics;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// One dispatcher of the pool: load → decide (the domain's <see cref="DispatchQueue{T}"/>) → send → report.
/// Messages leave only in send slots leased from the account's <see cref="IRateCoordinatorGrain"/>, so all
/// dispatchers together never exceed the account's rate. The queue decides at each slot: send, ask the
/// provider first (a message that may already have been sent), return it (send-by passed) or give it up
/// (at most once). Every outcome goes back to the borrower as a <see cref="SendReport"/>; the borrower's
/// lease covers a report that never arrives (this silo died), so the queue needs no storage. Throttling
/// and runs of failures slow the account down (AIMD at the coordinator); transient failures retry with
/// jittered backoff; <see cref="AccountSenders"/> fails over to the secondary account. The loop is the
/// grain's <see cref="DispatchPump"/>; the grain is reentrant so offers are taken while the loop waits.
/// </summary>
[Reentrant]
public sealed class DispatcherGrain(DispatcherServices services) : Grain, IDispatcherGrain
{
    private static readonly TimeSpan HandBackWait = TimeSpan.FromSeconds(2);

    private DispatchPump _pump = null!;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pump = new DispatchPump(Name, services, GrainFactory, () => this.RegisterGrainTimer(
            () =>
            {
                _pump.Start();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(1), Period = Timeout.InfiniteTimeSpan, Interleave = true }));
        return Task.CompletedTask;
    }

    /// <summary>
    /// A dispatcher going away in order gives what it has not sent back to the borrowers, one-way and
    /// bounded: whatever does not arrive comes back when the borrower's lease runs out.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var held = _pump.Queue.Drain();
        if (services.Durability.Outlives(reason) && held.Count > 0)
        {
            var reports = new List<Task>(held.Count);
            foreach (var item in held)
            {
                await services.Faults.AtAsync(FaultPoint.DuringHandBack, item.Key);
                reports.Add(_pump.Report(item, SendReportKind.Returned, "its dispatcher stopped: " + reason.Description));
            }

            await Task.WhenAny(Task.WhenAll(reports), Task.Delay(HandBackWait, services.Time));
        }

        ServiceMetrics.DispatcherGone(Name);
    }

    public Task<DispatchResult> EnqueueAsync(OutboundMessage message) => Task.FromResult(_pump.Offer(message));

    public Task<DispatcherStats> GetStatsAsync()
    {
        var (queue, o) = (_pump.Queue, _pump.Outcomes);
        return Task.FromResult(new DispatcherStats(queue.Held - queue.InFlight, queue.InFlight,
            o.Sent, o.Retried, o.Failed, o.Returned, o.Throttled, _pump.ActiveAccount, o.Doubts, RuntimeIdentity));
    }
}
