using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;
using OrleansReminders.Domain.Tiering;
using OrleansReminders.Grains.Borrowers;

namespace OrleansReminders.Grains.Tests.Borrowers;

/// <summary>Every part of a borrower's file survives the trip to its stored state and back.</summary>
public sealed class BorrowerStateMapperTests
{
    private static readonly Instant At = Instant.FromUtc(2027, 3, 1, 14, 30, 15);

    [Fact]
    public void AFileWithEveryPartSetComesBackEqual()
    {
        var message = new OutboxMessage("b-1:2:L3", Channel.Sms, "overdue.d7", "L3", false, true, true, At, At + Duration.FromHours(6),
            OutboxStatus.Offered, At + Duration.FromMinutes(5), At + Duration.FromMinutes(2), 2, true, "firm");
        var file = new BorrowerFile
        {
            Exists = true,
            Profile = new BorrowerProfile("+12025550143", "Ann", "en-US", ["America/New_York", "America/Chicago"], "US", "US-NY",
                new LocalDate(1990, 5, 17), "prime", "repeatDelinquent", true),
            Debts = [new Debt("d1", 120.50m, "USD", new LocalDate(2027, 2, 20), 20m), new Debt("d2", 80m, "USD", new LocalDate(2027, 3, 20))],
            Risk = new RiskFacts(0.25m, 2, 640, new TierOverride(RiskTier.High, "fraud check", "ops-7", At)),
            Ladder = new LadderState(3, 2, SuspendedUntil: new LocalDate(2027, 3, 10), EscalationsDone: 1, LastActionDate: new LocalDate(2027, 2, 27)),
            SuspensionKind = "promise",
            Consent = new Consent(false, true, true, false, false, true, true, "dispute call", true),
            Outbox = [message],
            Contacts = [new ContactRecord(Channel.Sms, At), new ContactRecord(Channel.Call, At + Duration.FromHours(1), MessageKind.Transactional, true)],
            Counts = new CaseCounts(5, 4, 1, 2),
            ProcessedIds = ["payment:p1", "reply:r1"],
            Resolved = false,
            Cycle = 2,
            NextActionAt = At + Duration.FromDays(1),
            NextAction = "wait for L4",
            Reminder = new ReminderTicks(At, Duration.FromDays(1)),
        };

        var back = BorrowerStateMapper.Load(BorrowerStateMapper.Store(file, [], [], []));

        Assert.Equal(file with { Debts = [], Outbox = [], Contacts = [], ProcessedIds = [], Profile = BorrowerProfile.None },
            back with { Debts = [], Outbox = [], Contacts = [], ProcessedIds = [], Profile = BorrowerProfile.None }, new FileComparer());
        Assert.Equal(file.Profile with { TimeZones = [] }, back.Profile with { TimeZones = [] });
        Assert.Equal(file.Profile.TimeZones.ToArray(), back.Profile.TimeZones.ToArray());
        Assert.Equal(file.Debts.ToArray(), back.Debts.ToArray());
        Assert.Equal(file.Outbox.ToArray(), back.Outbox.ToArray());
        Assert.Equal(file.Contacts.ToArray(), back.Contacts.ToArray());
        Assert.Equal(file.ProcessedIds.ToArray(), back.ProcessedIds.ToArray());
    }

    /// <summary>Equal files with their arrays emptied (records compare arrays by reference).</summary>
    private sealed class FileComparer : IEqualityComparer<BorrowerFile>
    {
        public bool Equals(BorrowerFile? x, BorrowerFile? y) =>
            x is not null && y is not null && (x.Exists, x.Risk, x.Ladder, x.SuspensionKind, x.Consent, x.Counts, x.Resolved, x.Cycle, x.NextActionAt, x.NextAction, x.Reminder)
                == (y.Exists, y.Risk, y.Ladder, y.SuspensionKind, y.Consent, y.Counts, y.Resolved, y.Cycle, y.NextActionAt, y.NextAction, y.Reminder);

        public int GetHashCode(BorrowerFile obj) => obj.Cycle;
    }
}
