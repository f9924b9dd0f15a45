using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Policy;

public sealed class ContactPolicyTests
{
    private const string Shanghai = "Asia/Shanghai";
    private const string NewYork = "America/New_York";
    private const string LosAngeles = "America/Los_Angeles";
    private const string Berlin = "Europe/Berlin";

    private static readonly ContactProfile China = Profile("CN", Shanghai);
    private static readonly ContactProfile Germany = new() { TimeZoneIds = [Berlin] };

    [Fact]
    public void TheSameQuestionGetsEqualDecisionsWhetherOrNotTheirExplanationWasRead()
    {
        var proposal = Proposal(Local(Shanghai, "2025-03-10T23:00"));

        var read = DefaultPolicy.Evaluate(China, [], proposal);
        _ = read.Explanation;
        var unread = DefaultPolicy.Evaluate(China, [], proposal);
        var elsewhere = DefaultPolicy.Evaluate(China, [], Proposal(Local(Shanghai, "2025-03-10T23:30")));

        Assert.Equal(read, unread);
        Assert.Equal(read.GetHashCode(), unread.GetHashCode());
        Assert.NotEqual(read, elsewhere); // same rule, another local time in its words
        Assert.Contains("22:00", unread.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ChinaLateEveningIsQuietHoursAndNextSlotIsThePreferredWindowNextMorning()
    {
        var proposal = Proposal(Local(Shanghai, "2025-03-10T23:00"));

        var decision = DefaultPolicy.Evaluate(China, [], proposal);
        var next = DefaultPolicy.NextAllowed(China, [], proposal);

        Assert.Equal(PolicyReason.QuietHours, decision.Reason);
        Assert.False(decision.Allowed);
        Assert.Contains("22:00", decision.Explanation);
        Assert.Equal(Local(Shanghai, "2025-03-11T09:00"), next.At);
        Assert.Equal(Local(Shanghai, "2025-03-11T17:00"), next.SendBy);
    }

    [Fact]
    public void WithoutPreferredWindowTheNextSlotIsTheStartOfAllowedHours()
    {
        var next = PolicyWith(AllowedHoursOnly).NextAllowed(China, [], Proposal(Local(Shanghai, "2025-03-10T23:00")));

        Assert.Equal(Local(Shanghai, "2025-03-11T08:00"), next.At);
        Assert.Equal(Local(Shanghai, "2025-03-11T22:00"), next.SendBy);
    }

    [Fact]
    public void AllowedInstantIsReturnedUnchangedWithItsWindowEndAsDeadline()
    {
        var at = Local(Shanghai, "2025-03-10T10:00");

        var next = DefaultPolicy.NextAllowed(China, [], Proposal(at));

        Assert.True(next.AtProposed.Allowed);
        Assert.Equal(PolicyReason.Allowed, next.AtProposed.Reason);
        Assert.Equal(at, next.At);
        Assert.Equal(Local(Shanghai, "2025-03-10T17:00"), DefaultPolicy.SendByDeadline(China, Proposal(at)));
        Assert.Null(DefaultPolicy.SendByDeadline(China, Proposal(Local(Shanghai, "2025-03-10T23:00"))));
    }

    [Fact]
    public void UsBorrowerMustBeInAllowedHoursInEveryCandidateZone()
    {
        var profile = Profile("US", NewYork, LosAngeles);
        var proposal = Proposal(Local(NewYork, "2025-03-12T09:00"));

        var decision = DefaultPolicy.Evaluate(profile, [], proposal);
        var next = DefaultPolicy.NextAllowed(profile, [], proposal);

        Assert.Equal(PolicyReason.QuietHours, decision.Reason);
        Assert.Contains(LosAngeles, decision.Explanation);
        Assert.Equal(Local(NewYork, "2025-03-12T11:00"), next.At);
        Assert.Equal(Local(NewYork, "2025-03-12T17:00"), next.SendBy);
    }

    [Fact]
    public void UsAllowedHoursEndAtNinePmLocal()
    {
        var policy = PolicyWith(AllowedHoursOnly);
        var profile = Profile("US", NewYork, LosAngeles);

        var before = policy.Evaluate(profile, [], Proposal(Local(NewYork, "2025-03-12T20:30")));
        var at = policy.Evaluate(profile, [], Proposal(Local(NewYork, "2025-03-12T21:00")));

        Assert.True(before.Allowed);
        Assert.Equal(PolicyReason.QuietHours, at.Reason);
        Assert.Equal(Local(NewYork, "2025-03-12T21:00"), policy.SendByDeadline(profile, Proposal(Local(NewYork, "2025-03-12T20:30"))));
    }

    [Fact]
    public void UsElectronicMessagesRequireOptOutTextButCallsAndChinaDoNot()
    {
        var us = Profile("US", NewYork);
        var at = Local(NewYork, "2025-03-12T10:00");

        Assert.True(DefaultPolicy.Evaluate(us, [], Proposal(at, Channel.Sms)).RequiresOptOutText);
        Assert.True(DefaultPolicy.Evaluate(us, [], Proposal(at, Channel.Email)).RequiresOptOutText);
        Assert.False(DefaultPolicy.Evaluate(us, [], Proposal(at, Channel.Call)).RequiresOptOutText);
        Assert.False(DefaultPolicy.Evaluate(China, [], Proposal(Local(Shanghai, "2025-03-12T10:00"))).RequiresOptOutText);
    }

    // 2026: the year the shipped IN calendar covers (a 2025 date would be held as calendar-not-covered).
    [Theory]
    [InlineData("2026-03-12T07:59", false)]
    [InlineData("2026-03-12T08:00", true)]
    [InlineData("2026-03-12T18:59", true)]
    [InlineData("2026-03-12T19:00", false)]
    public void IndiaAllowsEightToSeven(string local, bool allowed)
    {
        var decision = PolicyWith(AllowedHoursOnly).Evaluate(Profile("IN", "Asia/Kolkata"), [], Proposal(Local("Asia/Kolkata", local)));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? PolicyReason.Allowed : PolicyReason.QuietHours, decision.Reason);
    }

    [Fact]
    public void ChineseNationalDayIsSkippedToTheFirstWorkingMorning()
    {
        var proposal = Proposal(Local(Shanghai, "2025-10-01T10:00"));

        var decision = DefaultPolicy.Evaluate(China, [], proposal);
        var next = DefaultPolicy.NextAllowed(China, [], proposal);

        Assert.Equal(PolicyReason.Holiday, decision.Reason);
        Assert.Contains("National Day", decision.Explanation);
        Assert.Equal(Local(Shanghai, "2025-10-09T09:00"), next.At);
    }

    [Fact]
    public void MakeUpWorkingDayIsAnOrdinaryDay()
    {
        Assert.True(DefaultPolicy.Evaluate(China, [], Proposal(Local(Shanghai, "2025-09-28T10:00"))).Allowed);
    }

    [Fact]
    public void UsObservedIndependenceDayIsAHoliday()
    {
        var decision = DefaultPolicy.Evaluate(Profile("US", NewYork), [], Proposal(Local(NewYork, "2026-07-03T10:00")));

        Assert.Equal(PolicyReason.Holiday, decision.Reason);
    }

    [Fact]
    public void HolidaysCanBeSwitchedOff()
    {
        var policy = PolicyWith(ContactPolicySettings.Default with { SkipHolidays = false });

        Assert.True(policy.Evaluate(China, [], Proposal(Local(Shanghai, "2025-10-01T10:00"))).Allowed);
    }

    [Fact]
    public void BirthdayIsSkipped()
    {
        var profile = China with { Birthday = new AnnualDate(3, 12) };
        var proposal = Proposal(Local(Shanghai, "2025-03-12T10:00"));

        Assert.Equal(PolicyReason.Birthday, DefaultPolicy.Evaluate(profile, [], proposal).Reason);
        Assert.Equal(Local(Shanghai, "2025-03-13T09:00"), DefaultPolicy.NextAllowed(profile, [], proposal).At);
    }

    [Fact]
    public void LeapDayBirthdayFallsOnTwentyEighthFebruaryInOtherYears()
    {
        var profile = China with { Birthday = new AnnualDate(2, 29) };

        Assert.Equal(PolicyReason.Birthday, DefaultPolicy.Evaluate(profile, [], Proposal(Local(Shanghai, "2025-02-28T10:00"))).Reason);
        Assert.True(DefaultPolicy.Evaluate(profile, [], Proposal(Local(Shanghai, "2025-02-27T10:00"))).Allowed);
    }

    [Fact]
    public void SecondSmsInACalendarWeekWaitsForNextMonday()
    {
        var history = new[] { Sms(Local(Berlin, "2025-03-10T10:00")) };
        var proposal = Proposal(Local(Berlin, "2025-03-12T10:00"));

        Assert.Equal(PolicyReason.WeeklyCap, DefaultPolicy.Evaluate(Germany, history, proposal).Reason);
        Assert.Equal(Local(Berlin, "2025-03-17T09:00"), DefaultPolicy.NextAllowed(Germany, history, proposal).At);
    }

    [Fact]
    public void UrgentSmsMayExceedTheWeeklyCapButNotTheRollingCap()
    {
        var oneThisWeek = new[] { Sms(Local(Berlin, "2025-03-10T10:00")) };
        var twoInSevenDays = new[] { Sms(Local(Berlin, "2025-03-09T10:00")), Sms(Local(Berlin, "2025-03-10T10:00")) };
        var urgent = Proposal(Local(Berlin, "2025-03-12T10:00"), urgency: Urgency.Urgent);

        Assert.True(DefaultPolicy.Evaluate(Germany, oneThisWeek, urgent).Allowed);
        Assert.Equal(PolicyReason.Rolling7DayCap, DefaultPolicy.Evaluate(Germany, twoInSevenDays, urgent).Reason);
        Assert.Equal(Local(Berlin, "2025-03-16T10:00"), DefaultPolicy.NextAllowed(Germany, twoInSevenDays, urgent).At);
    }

    [Fact]
    public void ProposalRulesReplaceTheChannelCapsForThatMessage()
    {
        var history = new[] { Sms(Local(Berlin, "2025-03-10T10:00")) };
        var stageRules = ContactPolicySettings.Default.RulesFor(Channel.Sms) with { PerCalendarWeek = 2 };
        var proposal = Proposal(Local(Berlin, "2025-03-12T10:00")) with { Rules = stageRules };

        Assert.True(DefaultPolicy.Evaluate(Germany, history, proposal).Allowed);
        Assert.Equal(PolicyReason.WeeklyCap, DefaultPolicy.Evaluate(Germany, history, proposal with { Rules = null }).Reason);
    }

    [Fact]
    public void UrgentSmsStaysWithinWeeklyCapWhenNotConfiguredToExceedIt()
    {
        var settings = ContactPolicySettings.Default.With().Channel(Channel.Sms, c => c with { UrgentMayExceedWeeklyCap = false });
        var history = new[] { Sms(Local(Berlin, "2025-03-10T10:00")) };
        var urgent = Proposal(Local(Berlin, "2025-03-12T10:00"), urgency: Urgency.Urgent);

        Assert.Equal(PolicyReason.WeeklyCap, PolicyWith(settings).Evaluate(Germany, history, urgent).Reason);
    }

    [Fact]
    public void FourthCallAttemptOfTheDayWaitsForTomorrow()
    {
        var history = new[]
        {
            Call(Local(Berlin, "2025-03-12T09:00")), Call(Local(Berlin, "2025-03-12T10:30")), Call(Local(Berlin, "2025-03-12T12:00")),
        };
        var proposal = Proposal(Local(Berlin, "2025-03-12T14:00"), Channel.Call);

        Assert.Equal(PolicyReason.DailyCap, DefaultPolicy.Evaluate(Germany, history, proposal).Reason);
        Assert.Equal(Local(Berlin, "2025-03-13T09:00"), DefaultPolicy.NextAllowed(Germany, history, proposal).At);
    }

    [Fact]
    public void UsEighthCallAttemptInSevenDaysWaitsSevenTimesTwentyFourHoursAcrossDst()
    {
        var profile = Profile("US", NewYork);
        var history = Enumerable.Range(5, 7).Select(day => Call(Local(NewYork, $"2025-03-{day:00}T10:00"))).ToArray();
        var proposal = Proposal(Local(NewYork, "2025-03-12T09:30"), Channel.Call);

        Assert.Equal(PolicyReason.Rolling7DayCap, DefaultPolicy.Evaluate(profile, history, proposal).Reason);
        // 5 March 10:00 EST + 168 h is 12 March 11:00 EDT: the clocks went forward on 9 March.
        Assert.Equal(Local(NewYork, "2025-03-12T11:00"), DefaultPolicy.NextAllowed(profile, history, proposal).At);
    }

    [Fact]
    public void ChinaCapsConnectedCallsAtThreeADay()
    {
        var settings = ContactPolicySettings.Default.With().Channel(Channel.Call, c => c with { PerDay = 10 });
        var connected = new[] { "09:00", "10:30", "12:00" }.Select(t => Call(Local(Shanghai, $"2025-03-12T{t}"), connected: true)).ToArray();
        var oneUnanswered = connected.Take(2).Append(Call(Local(Shanghai, "2025-03-12T12:00"))).ToArray();
        var proposal = Proposal(Local(Shanghai, "2025-03-12T14:00"), Channel.Call);

        Assert.Equal(PolicyReason.ConnectedCallDailyCap, PolicyWith(settings).Evaluate(China, connected, proposal).Reason);
        Assert.True(PolicyWith(settings).Evaluate(China, oneUnanswered, proposal).Allowed);
    }

    [Fact]
    public void MinimumGapHoldsAcrossChannels()
    {
        var sms = Local(Berlin, "2025-03-12T10:00");
        var decision = DefaultPolicy.Evaluate(Germany, [Sms(sms)], Proposal(sms + Duration.FromMinutes(30), Channel.Email));
        var next = DefaultPolicy.NextAllowed(Germany, [Sms(sms)], Proposal(sms + Duration.FromMinutes(30), Channel.Email));

        Assert.Equal(PolicyReason.MinimumGap, decision.Reason);
        Assert.Equal(sms + Duration.FromHours(1), decision.ClearsAt);
        Assert.Equal(sms + Duration.FromHours(1), next.At);
    }

    [Fact]
    public void ChinaCollectionCyclesAreSevenDaysApartButTheSameDayMayContinue()
    {
        var history = new[] { Sms(Local(Shanghai, "2025-03-03T10:00")) };
        var laterThatWeek = Proposal(Local(Shanghai, "2025-03-05T10:00"), Channel.Call);
        var sameDay = Proposal(Local(Shanghai, "2025-03-03T14:00"), Channel.Call);

        Assert.Equal(PolicyReason.CycleGap, DefaultPolicy.Evaluate(China, history, laterThatWeek).Reason);
        Assert.Equal(Local(Shanghai, "2025-03-10T09:00"), DefaultPolicy.NextAllowed(China, history, laterThatWeek).At);
        Assert.True(DefaultPolicy.Evaluate(China, history, sameDay).Allowed);
    }

    [Theory]
    [InlineData("optedOutAll", PolicyReason.OptedOut)]
    [InlineData("dispute", PolicyReason.Dispute)]
    [InlineData("complaint", PolicyReason.Complaint)]
    [InlineData("legalHold", PolicyReason.LegalHold)]
    [InlineData("deceased", PolicyReason.Deceased)]
    [InlineData("bankruptcy", PolicyReason.Bankruptcy)]
    public void FlagsStopCollectionForGood(string flag, PolicyReason reason)
    {
        var flags = flag switch
        {
            "optedOutAll" => new ContactFlags { OptedOutAll = true },
            "dispute" => new ContactFlags { Dispute = true },
            "complaint" => new ContactFlags { Complaint = true },
            "legalHold" => new ContactFlags { LegalHold = true },
            "deceased" => new ContactFlags { Deceased = true },
            _ => new ContactFlags { Bankruptcy = true },
        };
        var profile = China with { Flags = flags };
        var proposal = Proposal(Local(Shanghai, "2025-03-12T10:00"), urgency: Urgency.Urgent);

        var next = DefaultPolicy.NextAllowed(profile, [], proposal);

        Assert.Equal(reason, next.AtProposed.Reason);
        Assert.True(next.AtProposed.IsAbsolute);
        Assert.False(next.Found);
    }

    [Fact]
    public void ChannelOptOutStopsOnlyThatChannel()
    {
        var profile = China with { Flags = new ContactFlags { OptedOutChannels = new HashSet<Channel> { Channel.Sms } } };
        var at = Local(Shanghai, "2025-03-12T10:00");

        Assert.Equal(PolicyReason.OptedOut, DefaultPolicy.Evaluate(profile, [], Proposal(at)).Reason);
        Assert.True(DefaultPolicy.Evaluate(profile, [], Proposal(at, Channel.Email)).Allowed);
    }

    [Fact]
    public void TransactionalMessagesSkipCapsAndHolidaysButNotQuietHoursOrOptOut()
    {
        var holiday = Local(Shanghai, "2025-10-01T10:00");
        var busyDay = Enumerable.Range(0, 5).Select(i => Sms(holiday - Duration.FromHours(i + 1))).ToArray();
        var reply = new ContactProposal(holiday, Channel.Sms, MessageKind.Transactional);
        var disputed = China with { Flags = new ContactFlags { Dispute = true } };
        var optedOut = China with { Flags = new ContactFlags { OptedOutAll = true } };

        Assert.True(DefaultPolicy.Evaluate(China, busyDay, reply).Allowed);
        Assert.True(DefaultPolicy.Evaluate(disputed, [], reply).Allowed);
        Assert.Equal(PolicyReason.QuietHours, DefaultPolicy.Evaluate(China, [], reply with { At = Local(Shanghai, "2025-10-01T23:00") }).Reason);
        Assert.Equal(PolicyReason.OptedOut, DefaultPolicy.Evaluate(optedOut, [], reply).Reason);
    }

    [Fact]
    public void TransactionalMessagesDoNotCountTowardCaps()
    {
        var replies = Enumerable.Range(1, 5)
            .Select(i => new ContactRecord(Channel.Sms, Local(Berlin, "2025-03-12T08:00") - Duration.FromHours(i), MessageKind.Transactional))
            .ToArray();

        Assert.True(DefaultPolicy.Evaluate(Germany, replies, Proposal(Local(Berlin, "2025-03-12T10:00"))).Allowed);
    }

    [Fact]
    public void AgencyHandOffIgnoresContactHoursButNotFlags()
    {
        var night = Proposal(Local(Shanghai, "2025-03-12T23:30"), Channel.Agency);
        var held = China with { Flags = new ContactFlags { LegalHold = true } };

        Assert.True(DefaultPolicy.Evaluate(China, [], night).Allowed);
        Assert.Null(DefaultPolicy.SendByDeadline(China, night));
        Assert.Equal(PolicyReason.LegalHold, DefaultPolicy.Evaluate(held, [], night).Reason);
    }

    [Fact]
    public void StudentsAreContactedInTheirEveningWindow()
    {
        var student = Germany with { Segment = "Student" };
        var morning = Proposal(Local(Berlin, "2025-03-12T10:00"));

        Assert.Equal(PolicyReason.OutsidePreferredWindow, DefaultPolicy.Evaluate(student, [], morning).Reason);
        Assert.Equal(Local(Berlin, "2025-03-12T18:00"), DefaultPolicy.NextAllowed(student, [], morning).At);
        Assert.Equal(Local(Berlin, "2025-03-12T20:00"), DefaultPolicy.NextAllowed(student, [], morning).SendBy);
    }

    [Fact]
    public void UrgentMessagesMayUseTheWholeAllowedWindowWhenConfigured()
    {
        var policy = PolicyWith(ContactPolicySettings.Default with { UrgentIgnoresPreferredWindow = true });
        var early = Local(Berlin, "2025-03-12T08:15");

        Assert.True(policy.Evaluate(Germany, [], Proposal(early, urgency: Urgency.Urgent)).Allowed);
        Assert.Equal(PolicyReason.OutsidePreferredWindow, policy.Evaluate(Germany, [], Proposal(early)).Reason);
    }

    [Fact]
    public void NothingWithinTheHorizonIsNotTheSameAsNever()
    {
        var policy = PolicyWith(ContactPolicySettings.Default with { SearchHorizon = Duration.FromHours(1) });

        var next = policy.NextAllowed(China, [], Proposal(Local(Shanghai, "2025-03-10T23:00")));

        Assert.False(next.Found);
        Assert.False(next.AtProposed.IsAbsolute);
        Assert.Equal(Local(Shanghai, "2025-03-11T08:00"), next.AtProposed.ClearsAt); // quiet hours end; the preferred window is checked then
    }

    [Fact]
    public void RecordsAfterTheInstantDoNotCountYet()
    {
        var later = new[] { Sms(Local(Berlin, "2025-03-12T11:00")) };

        Assert.True(DefaultPolicy.Evaluate(Germany, later, Proposal(Local(Berlin, "2025-03-12T10:00"))).Allowed);
        Assert.Equal(PolicyReason.MinimumGap, DefaultPolicy.Evaluate(Germany, later, Proposal(Local(Berlin, "2025-03-12T11:30"))).Reason);
    }

    [Fact]
    public void UnknownTimeZoneIsAValidationErrorNamingTheField()
    {
        var profile = new ContactProfile { TimeZoneIds = [Berlin, "Mars/Olympus_Mons"] };

        var error = Assert.Throws<DomainValidationException>(() => DefaultPolicy.Evaluate(profile, [], Proposal(Utc("2025-03-12T10:00:00Z"))));

        Assert.Equal("profile.timeZoneIds[1]", Assert.Single(error.Errors).Path);
    }
}
