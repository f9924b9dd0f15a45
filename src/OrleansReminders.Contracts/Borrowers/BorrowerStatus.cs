using System.Collections.Immutable;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Contracts.Borrowers;

/// <summary>A borrower's status as the internal APIs see it.</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.BorrowerStatus")]
public sealed record BorrowerStatus(
    [property: Id(0)] string BorrowerId,
    [property: Id(1)] string Tier,
    [property: Id(2)] int RiskScore,
    [property: Id(3)] ImmutableArray<TierFactor> TierFactors,
    [property: Id(4)] string? TierOverride,
    [property: Id(5)] string Stage,
    [property: Id(6)] int LadderStep,
    [property: Id(7)] int EscalationLevel,
    [property: Id(8)] string? NextAction,
    [property: Id(9)] DateTimeOffset? NextActionAt,
    [property: Id(10)] decimal Outstanding,
    [property: Id(11)] string Currency,
    [property: Id(12)] ImmutableArray<string> Flags,
    [property: Id(13)] DateOnly? SuspendedUntil,
    [property: Id(14)] StatusCounts Counts,
    [property: Id(15)] ImmutableArray<ContactEvent> LastContacts,
    [property: Id(16)] int PendingMessages);

[GenerateSerializer, Immutable, Alias("OrleansReminders.TierFactor")]
public sealed record TierFactor(
    [property: Id(0)] string Factor,
    [property: Id(1)] decimal? RawValue,
    [property: Id(2)] decimal Points);

[GenerateSerializer, Immutable, Alias("OrleansReminders.StatusCounts")]
public sealed record StatusCounts(
    [property: Id(0)] int Sent,
    [property: Id(1)] int Delivered,
    [property: Id(2)] int Failed,
    [property: Id(3)] int Replies,
    [property: Id(4)] int ConsecutiveUnanswered);
