using System.Collections.Immutable;

namespace OrleansReminders.Contracts.History;

/// <summary>
/// One entry of a borrower's append-only history: a contact attempt, its outcome, an inbound reply or
/// payment, or an ops action. <see cref="EventId"/> makes a replayed write a no-op. No personal data:
/// phone numbers, names and amounts stay out of <see cref="Data"/> or are masked first.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.ContactEvent")]
public sealed record ContactEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string BorrowerId,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Actor,
    [property: Id(5)] string? Channel = null,
    [property: Id(6)] string? Stage = null,
    [property: Id(7)] string? Reason = null,
    [property: Id(8)] ImmutableDictionary<string, string>? Data = null);

/// <summary>A page of history, oldest first; pass <see cref="NextCursor"/> back to read on.</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.ContactEventPage")]
public sealed record ContactEventPage(
    [property: Id(0)] ImmutableArray<ContactEvent> Events,
    [property: Id(1)] string? NextCursor);
