using NodaTime;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Grains.Tests.Borrowers;

/// <summary>Replays a borrower's queued messages against the contact policy, one by one, in order.</summary>
internal static class PolicyAudit
{
    public static void EveryMessageWasAllowed(IEnumerable<ContactEvent> history, ContactProfile profile)
    {
        var zone = DateTimeZoneProviders.Tzdb[profile.TimeZoneIds[0]];
        var policy = ContactPolicy.CreateDefault();
        var earlier = new List<ContactRecord>();
        foreach (var message in history.Where(e => e.Kind == "message.queued" && e.Reason != "transactional"))
        {
            var at = Instant.FromDateTimeOffset(message.OccurredAt);
            var channel = Enum.Parse<Channel>(message.Channel!, ignoreCase: true);
            var local = at.InZone(zone).TimeOfDay;
            if (channel != Channel.Agency)
            {
                Assert.InRange(local, new LocalTime(9, 0), new LocalTime(17, 0));
            }

            var decision = policy.Evaluate(profile, earlier, new ContactProposal(at, channel));
            Assert.True(decision.Allowed, $"{message.Stage} at {at.InZone(zone)}: {decision.Reason} {decision.Explanation}");
            earlier.Add(new ContactRecord(channel, at));
        }
    }
}
