using OrleansReminders.Domain.Dispatching;

namespace OrleansReminders.Domain.Tests.Dispatching;

public sealed class SendSlotLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Horizon = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void ConsecutiveLeasesTakeConsecutiveSlotsSpacedOneOverTheRate()
    {
        var ledger = new SendSlotLedger(500, Horizon, T0);

        var first = ledger.Lease(T0, wanted: 10, maxLease: 25);
        var second = ledger.Lease(T0, wanted: 10, maxLease: 25);

        Assert.Equal(10, first.Count);
        Assert.Equal(T0, first.Start);
        Assert.Equal(TimeSpan.FromMilliseconds(2), first.Spacing);
        Assert.Equal(T0 + TimeSpan.FromMilliseconds(20), second.Start);
        Assert.Equal(T0 + TimeSpan.FromMilliseconds(38), second.SlotAt(9));
    }

    [Fact]
    public void ALeaseIsCappedAndNeverStartsBeyondTheHorizon()
    {
        var ledger = new SendSlotLedger(100, Horizon, T0);

        Assert.Equal(5, ledger.Lease(T0, wanted: 50, maxLease: 5).Count); // 0–50 ms
        Assert.Equal(5, ledger.Lease(T0, wanted: 50, maxLease: 5).Count); // 50–100 ms
        var refused = ledger.Lease(T0, wanted: 50, maxLease: 5);

        Assert.Equal(0, refused.Count);
        Assert.Equal(T0, refused.RetryAt); // the next slot (100 ms) is within the horizon from then
        Assert.Equal(5, ledger.Lease(T0 + TimeSpan.FromMilliseconds(1), wanted: 50, maxLease: 5).Count);
    }

    [Fact]
    public void SlotsNobodyLeasedAreLostNotSavedUpForABurst()
    {
        var ledger = new SendSlotLedger(10, Horizon, T0);
        ledger.Lease(T0, 1, 10);

        var later = ledger.Lease(T0 + TimeSpan.FromSeconds(5), 10, 10);

        Assert.Equal(T0 + TimeSpan.FromSeconds(5), later.Start);
        Assert.Equal(TimeSpan.FromMilliseconds(100), later.Spacing);
    }

    [Fact]
    public void AReplacementLedgerStartsAfterEverySlotTheOldOneCanHaveLeased()
    {
        var notBefore = T0 + Horizon + TimeSpan.FromMilliseconds(50);
        var ledger = new SendSlotLedger(500, Horizon, notBefore);

        var lease = ledger.Lease(T0 + TimeSpan.FromMilliseconds(60), 5, 5);

        Assert.Equal(notBefore, lease.Start);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ARateMustBeAPositiveNumber(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendSlotLedger(rate, Horizon, T0));

    /// <summary>
    /// Many dispatchers with random demand asking at random moments: the slots handed out never overlap
    /// and no one-second window holds more than R + 1 of them; while demand stays above R, the slots used
    /// are at least 99% of R over the run.
    /// </summary>
    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 500)]
    [InlineData(3, 50)]
    public void UnderRandomSkewedDemandNoSecondExceedsTheRateAndTheRateIsUsed(int seed, int rate)
    {
        var random = new Random(seed);
        var ledger = new SendSlotLedger(rate, Horizon, T0);
        var slots = new List<DateTimeOffset>();
        var now = T0;
        var end = T0 + TimeSpan.FromSeconds(20);
        while (now < end)
        {
            // One busy dispatcher asks most of the time; others now and then.
            var wanted = random.NextDouble() < 0.8 ? 1_000 : random.Next(0, 4);
            var lease = ledger.Lease(now, wanted, maxLease: Math.Max(1, rate / 20));
            slots.AddRange(Enumerable.Range(0, lease.Count).Select(lease.SlotAt));
            now += TimeSpan.FromMilliseconds(random.Next(1, 15));
        }

        var used = slots.Where(s => s < end).OrderBy(s => s).ToList();
        Assert.Equal(used.Count, used.Distinct().Count());
        var maxInAnySecond = 0;
        for (int i = 0, j = 0; i < used.Count; i++)
        {
            while (used[i] - used[j] >= TimeSpan.FromSeconds(1))
            {
                j++;
            }

            maxInAnySecond = Math.Max(maxInAnySecond, i - j + 1);
        }

        Assert.InRange(maxInAnySecond, 1, rate + 1);
        Assert.True(used.Count >= rate * 20 * 0.99, $"{used.Count} slots used of {rate * 20}");
    }
}
