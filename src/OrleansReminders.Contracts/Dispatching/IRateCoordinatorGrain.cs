namespace OrleansReminders.Contracts.Dispatching;

/// <summary>One provider account's send-slot ledger (key: account name): the cluster-wide rate.</summary>
[Alias("OrleansReminders.IRateCoordinatorGrain")]
public interface IRateCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Leases up to <paramref name="wanted"/> consecutive send slots.</summary>
    [Alias("Lease")]
    Task<SlotGrant> LeaseAsync(int wanted);

    /// <summary>The provider answered "too fast" or failed (429, 5xx): the rate backs off (AIMD).</summary>
    [Alias("ReportThrottled")]
    Task ReportThrottledAsync();

    /// <summary>Configured and current rate.</summary>
    [Alias("GetRate")]
    Task<RateStatus> GetRateAsync();
}

/// <summary>Send slots: the k-th may be used from <see cref="Start"/> + k × <see cref="Spacing"/>; none → ask again at <see cref="RetryAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.SlotGrant")]
public sealed record SlotGrant(
    [property: Id(0)] int Count,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] TimeSpan Spacing,
    [property: Id(3)] DateTimeOffset RetryAt)
{
    public DateTimeOffset SlotAt(int index) => Start + (Spacing * index);
}

[GenerateSerializer, Immutable, Alias("OrleansReminders.RateStatus")]
public sealed record RateStatus(
    [property: Id(0)] string Account,
    [property: Id(1)] double ConfiguredPerSecond,
    [property: Id(2)] double CurrentPerSecond);
