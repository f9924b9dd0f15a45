namespace OrleansReminders.Contracts.Dispatching;

/// <summary>
/// What to send; text is rendered on the sending side from the template reference. <see cref="Offer"/> is
/// the borrower's offer number (every report about it carries it back); <see cref="MaybeSent"/> says an
/// earlier offer got no answer, so the provider may already have it and the dispatcher resolves that first.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.OutboundMessage")]
public sealed record OutboundMessage(
    [property: Id(0)] string MessageKey,
    [property: Id(1)] string BorrowerId,
    [property: Id(2)] MessageChannel Channel,
    [property: Id(3)] string TemplateKey,
    [property: Id(4)] Tier Tier,
    [property: Id(5)] string Locale,
    [property: Id(6)] bool Transactional,
    [property: Id(7)] bool Urgent,
    [property: Id(8)] DateTimeOffset SendBy,
    [property: Id(9)] string? ToneVariant = null,
    [property: Id(10)] string To = "",
    [property: Id(11)] MessageValues? Values = null,
    [property: Id(12)] int Offer = 1,
    [property: Id(13)] bool MaybeSent = false);

/// <summary>What a template may print about the borrower's debt (the oldest open one).</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.MessageValues")]
public sealed record MessageValues(
    [property: Id(0)] string Name,
    [property: Id(1)] decimal AmountDue,
    [property: Id(2)] string Currency,
    [property: Id(3)] DateOnly DueDate,
    [property: Id(4)] int DaysOverdue);
