using Microsoft.Extensions.Options;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Dispatching;
using OrleansReminders.Grains.Diagnostics;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// Holds one account's <see cref="SendSlotLedger"/> and <see cref="AdaptiveRate"/>. It keeps no state:
/// a new activation (its silo died, or it was idle) starts its ledger after every slot the previous one
/// can have leased (now + horizon + one lease), so a move can cost a moment of capacity but never lets
/// two ledgers hand out the same second twice. Real time, never the business clock: a provider's limit
/// is per real second.
/// </summary>
public sealed class RateCoordinatorGrain(IOptions<DispatchOptions> options, TimeProvider time) : Grain, IRateCoordinatorGrain
{
    private SendSlotLedger? _ledger;
    private AdaptiveRate? _rate;

    private string Account => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var configured = settings.RateOf(Account);
        var now = time.GetUtcNow();
        var longestLease = TimeSpan.FromSeconds(settings.MaxLease(Account) / configured);
        _ledger = new SendSlotLedger(configured, settings.LeaseHorizon, now + settings.LeaseHorizon + longestLease);
        _rate = new AdaptiveRate(configured, new AdaptiveRateOptions());
        ServiceMetrics.Rate(Account, configured);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ServiceMetrics.CoordinatorGone(Account);
        return Task.CompletedTask;
    }

    public Task<SlotGrant> LeaseAsync(int wanted)
    {
        var now = time.GetUtcNow();
        if (_rate!.OnQuiet(now))
        {
            _ledger!.SetRate(_rate.Current);
            ServiceMetrics.Rate(Account, _rate.Current);
        }

        var lease = _ledger!.Lease(now, Math.Max(0, wanted), options.Value.MaxLease(Account));
        return Task.FromResult(new SlotGrant(lease.Count, lease.Start, lease.Spacing, lease.RetryAt ?? now));
    }

    public Task ReportThrottledAsync()
    {
        if (_rate!.OnThrottled(time.GetUtcNow()))
        {
            _ledger!.SetRate(_rate.Current);
            ServiceMetrics.Rate(Account, _rate.Current);
        }

        return Task.CompletedTask;
    }

    public Task<RateStatus> GetRateAsync() => Task.FromResult(new RateStatus(Account, _rate!.Configured, _rate.Current));
}
