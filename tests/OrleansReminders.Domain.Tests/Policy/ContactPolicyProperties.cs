using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.TimeZones;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Policy;

/// <summary>
/// Invariants of the contact policy for random zones (with DST and half- or quarter-hour offsets), profiles,
/// histories, settings and instants, checked against <see cref="ReferenceRules"/>.
/// </summary>
public sealed class ContactPolicyProperties
{
    private static readonly Duration SampleStep = Duration.FromMinutes(15);

    [Property(MaxTest = 400)]
    public Property EvaluateAllowsExactlyWhenNoRuleIsBroken() =>
        Prop.ForAll(PolicyScenarios.Arbitrary, s =>
        {
            for (var k = 0; k < 6; k++)
            {
                var t = s.Proposal.At + Duration.FromMinutes(97 * k);
                var decision = s.Policy.Evaluate(s.Profile, s.History, s.Proposal with { At = t });
                var broken = s.Violations(t);
                if (decision.Allowed != (broken.Count == 0) || (!decision.Allowed && !broken.Contains(decision.Reason)))
                {
                    return false.Label($"at {t}: engine {decision.Reason}, reference [{string.Join(", ", broken)}]");
                }
            }

            return true.ToProperty();
        });

    [Property(MaxTest = 150)]
    public Property NextAllowedIsAllowedAndBreaksNoRule() =>
        Prop.ForAll(PolicyScenarios.Arbitrary, s =>
        {
            var next = s.Policy.NextAllowed(s.Profile, s.History, s.Proposal);
            if (next.At is not { } at)
            {
                return true.Classify(true, next.AtProposed.IsAbsolute ? "never (flag)" : "none within horizon");
            }

            var limit = s.Proposal.At + s.Policy.Settings.SearchHorizon;
            var ok = at >= s.Proposal.At && at <= limit
                && s.Policy.Evaluate(s.Profile, s.History, s.Proposal with { At = at }).Allowed
                && s.Violations(at).Count == 0
                && (next.SendBy is not { } by || by > at);
            return ok.Label($"next {at}, deadline {next.SendBy}: [{string.Join(", ", s.Violations(at))}]")
                .Classify(at == s.Proposal.At, "allowed at once");
        });

    [Property(MaxTest = 150)]
    public Property NoAllowedInstantLiesBeforeNextAllowed() =>
        Prop.ForAll(PolicyScenarios.Arbitrary, s =>
        {
            var next = s.Policy.NextAllowed(s.Profile, s.History, s.Proposal);
            var end = next.At ?? s.Proposal.At + s.Policy.Settings.SearchHorizon;
            var early = SampleInstants(s, end).FirstOrDefault(t => t >= s.Proposal.At && t < end && s.Violations(t).Count == 0);
            return (early == default).Label($"allowed at {early}, but next allowed was {next.At?.ToString() ?? "none"}");
        });

    [Property(MaxTest = 100)]
    public Property DeadlineEndsTheWindowTheInstantIsIn() =>
        Prop.ForAll(PolicyScenarios.Arbitrary, s =>
        {
            var next = s.Policy.NextAllowed(s.Profile, s.History, s.Proposal);
            if (next.At is not { } at || next.SendBy is not { } by)
            {
                return true.ToProperty();
            }

            // Time rules alone: drop history and flags so only windows, days and the preferred window can block.
            var clean = s.Profile with { Flags = ContactFlags.None };
            var before = s.Policy.Evaluate(clean, [], s.Proposal with { At = by - Duration.Epsilon });
            var after = s.Policy.Evaluate(clean, [], s.Proposal with { At = by });
            return (before.Allowed && !after.Allowed).Label($"deadline {by}: before {before.Reason}, at {after.Reason}");
        });

    /// <summary>Every 15 minutes, plus every instant where some rule can change: window edges, day starts, offset changes, cap expiries.</summary>
    private static IEnumerable<Instant> SampleInstants(PolicyScenario s, Instant end)
    {
        for (var t = s.Proposal.At; t < end; t += SampleStep)
        {
            yield return t;
        }

        yield return end - Duration.Epsilon;
        foreach (var t in Boundaries(s, s.Proposal.At, end))
        {
            yield return t;
        }
    }

    private static IEnumerable<Instant> Boundaries(PolicyScenario s, Instant from, Instant end)
    {
        var settings = s.Policy.Settings;
        var times = settings.Jurisdictions.Values.SelectMany(j => new[] { j.AllowedWindow.Start, j.AllowedWindow.End })
            .Concat(settings.SegmentWindows.Values.Append(settings.PreferredWindow).SelectMany(w => new[] { w.Start, w.End }))
            .Append(LocalTime.Midnight).Distinct().ToArray();
        foreach (var zone in s.Profile.TimeZoneIds.Select(id => DateTimeZoneProviders.Tzdb[id]))
        {
            foreach (var interval in zone.GetZoneIntervals(from, end))
            {
                yield return interval.HasStart ? interval.Start : from;
            }

            for (var date = from.InZone(zone).Date.PlusDays(-1); date <= end.InZone(zone).Date; date = date.PlusDays(1))
            {
                foreach (var time in times)
                {
                    yield return zone.ResolveLocal(date.At(time), Resolvers.LenientResolver).ToInstant();
                }
            }
        }

        var gaps = settings.Channels.Values.Select(c => c.MinimumGap).Append(settings.MinimumGapAnyChannel).Append(Duration.FromDays(7));
        foreach (var record in s.History)
        {
            yield return record.At;
            foreach (var gap in gaps)
            {
                yield return record.At + gap;
            }
        }
    }
}

/// <summary>One random case: a policy, a borrower, a history and a proposal.</summary>
public sealed record PolicyScenario(string SettingsName, ContactPolicy Policy, ContactProfile Profile, ContactRecord[] History, ContactProposal Proposal)
{
    public List<PolicyReason> Violations(Instant t) =>
        ReferenceRules.Violations(Policy.Settings, Calendars, Profile, History, Proposal, t);

    public override string ToString() =>
        $"{SettingsName}: zones [{string.Join(", ", Profile.TimeZoneIds)}], region {Profile.Region}, jurisdiction {Profile.Jurisdiction}, "
        + $"segment {Profile.Segment}, birthday {Profile.Birthday}, flags {Profile.Flags}, proposal {Proposal}, history ["
        + string.Join("; ", History.Select(r => $"{r.Channel} {r.At} {r.Kind}{(r.Connected ? " connected" : "")}")) + "]";
}

internal static class PolicyScenarios
{
    private static readonly string[] Zones =
    [
        "America/New_York", "America/Los_Angeles", "America/St_Johns", "America/Sao_Paulo", "Europe/London",
        "Europe/Berlin", "Asia/Shanghai", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide",
        "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Auckland", "UTC",
    ];

    private const int Days = 900;

    private static readonly Instant Epoch = Utc("2025-01-01T00:00:00Z");

    private static readonly (string Name, ContactPolicy Policy)[] Policies =
    [
        ("default", DefaultPolicy),
        ("allowed-hours-only", PolicyWith(AllowedHoursOnly)),
        ("tight", PolicyWith(ContactPolicySettings.Default.With()
            .Channel(Channel.Sms, c => c with { PerDay = 2, PerCalendarWeek = 3, MinimumGap = Duration.FromHours(3) }) with
            {
                WeekStartsOn = IsoDayOfWeek.Sunday,
                UrgentIgnoresPreferredWindow = true,
                MinimumGapAnyChannel = Duration.FromMinutes(30),
                SearchHorizon = Duration.FromDays(10),
            })),
        ("night-windows", PolicyWith(AllowedHoursOnly.With().Jurisdiction("default", j => j with { AllowedWindow = new TimeWindow(new LocalTime(0, 30), new LocalTime(2, 30)) })
            .With().Jurisdiction("US", j => j with { AllowedWindow = new TimeWindow(new LocalTime(1, 30), new LocalTime(21, 0)) })
            .With().Jurisdiction("IN", j => j with { AllowedWindow = new TimeWindow(new LocalTime(2, 15), new LocalTime(3, 15)) })
            with { PreferredWindow = TimeWindow.Of(1, 2) })),
        ("weekends", PolicyWith(ContactPolicySettings.Default.With().Jurisdiction("CN", j => j with { AvoidWeekends = true }) with
        {
            SegmentAvoidWeekends = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase) { ["student"] = false, ["other"] = true },
        })),
        ("allow-uncovered", PolicyWith(AllowedHoursOnly with { OnUncoveredDate = UncoveredDateAction.Allow })),
    ];

    /// <summary>A stage's own caps, as the strategy may pass with a proposal.</summary>
    private static readonly ChannelRules? StageRules = new()
    {
        PerDay = 2, PerCalendarWeek = 2, Rolling7Days = 3, MinimumGap = Duration.FromHours(6), UrgentMayExceedWeeklyCap = true,
    };

    public static Arbitrary<PolicyScenario> Arbitrary { get; } = Scenarios().ToArbitrary();

    private static Gen<PolicyScenario> Scenarios() =>
        from policy in Gen.Elements(Policies)
        from profile in Profiles()
        from start in Starts(profile.TimeZoneIds[0])
        from proposal in Proposals(start)
        from history in Histories(start)
        from birthdayOffset in Gen.Choose(-1, 3)
        select new PolicyScenario(policy.Name, policy.Policy, WithBirthdayNear(profile, start, birthdayOffset), history, proposal);

    private static Gen<ContactProfile> Profiles() =>
        from zoneCount in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)))
        from zones in Gen.ArrayOf(Gen.Elements(Zones), zoneCount)
        from region in Gen.Elements(new string?[] { null, "CN", "US", "IN" })
        from jurisdiction in Gen.Elements(new string?[] { null, null, "CN", "US", "IN", "default" })
        from segment in Gen.Elements(new string?[] { null, null, "student", "freelancer", "other" })
        from birthday in Gen.Elements(new AnnualDate?[] { null, null, new AnnualDate(2, 29), new AnnualDate(10, 1) })
        from flags in Flags()
        select new ContactProfile
        {
            TimeZoneIds = zones, Region = region, Jurisdiction = jurisdiction, Segment = segment, Birthday = birthday, Flags = flags,
        };

    private static Gen<ContactFlags> Flags() =>
        Gen.Frequency(
            (24, Gen.Constant(ContactFlags.None)),
            (1, Gen.Constant(new ContactFlags { OptedOutChannels = new HashSet<Channel> { Channel.Sms } })),
            (1, Gen.Constant(new ContactFlags { Dispute = true })),
            (1, Gen.Constant(new ContactFlags { Deceased = true })));

    /// <summary>
    /// A whole-minute instant from 2025 to mid-2027 (past the end of the shipped CN and IN calendars), a third of
    /// the time within two days before an offset change.
    /// </summary>
    private static Gen<Instant> Starts(string zoneId) =>
        from minutes in Gen.Choose(0, Days * 24 * 60)
        from nearTransition in Gen.Elements(false, false, true)
        from before in Gen.Choose(0, 48 * 60)
        select NearTransition(DateTimeZoneProviders.Tzdb[zoneId], Epoch + Duration.FromMinutes(minutes), nearTransition, before);

    private static Instant NearTransition(DateTimeZone zone, Instant t, bool snap, int minutesBefore)
    {
        var interval = zone.GetZoneInterval(t);
        return snap && interval.HasEnd && interval.End < Epoch + Duration.FromDays(Days)
            ? interval.End - Duration.FromMinutes(minutesBefore)
            : t;
    }

    private static Gen<ContactProposal> Proposals(Instant at) =>
        from channel in Gen.Elements(Channel.Sms, Channel.Sms, Channel.Email, Channel.Call, Channel.Call, Channel.Agency)
        from kind in Gen.Frequency((6, Gen.Constant(MessageKind.Collection)), (1, Gen.Constant(MessageKind.Transactional)))
        from urgency in Gen.Elements(Urgency.Normal, Urgency.Normal, Urgency.Urgent)
        from rules in Gen.Elements(null, null, null, StageRules)
        select new ContactProposal(at, channel, kind, urgency, rules);

    private static Gen<ContactRecord[]> Histories(Instant at) =>
        from count in Gen.Choose(0, 16)
        from records in Gen.ArrayOf(Records(at), count)
        select records;

    private static Gen<ContactRecord> Records(Instant at) =>
        from minutesBefore in Gen.Frequency((5, Gen.Choose(0, 2 * 24 * 60)), (4, Gen.Choose(0, 10 * 24 * 60)), (1, Gen.Choose(-24 * 60, 0)))
        from channel in Gen.Elements(Channel.Sms, Channel.Email, Channel.Call, Channel.Call, Channel.Agency)
        from kind in Gen.Frequency((5, Gen.Constant(MessageKind.Collection)), (1, Gen.Constant(MessageKind.Transactional)))
        from connected in Gen.Elements(false, true)
        select new ContactRecord(channel, at - Duration.FromMinutes(minutesBefore), kind, channel == Channel.Call && connected);

    private static ContactProfile WithBirthdayNear(ContactProfile profile, Instant start, int dayOffset)
    {
        if (dayOffset < 0)
        {
            return profile;
        }

        var date = start.InZone(DateTimeZoneProviders.Tzdb[profile.TimeZoneIds[0]]).Date.PlusDays(dayOffset);
        return profile with { Birthday = new AnnualDate(date.Month, date.Day) };
    }
}
