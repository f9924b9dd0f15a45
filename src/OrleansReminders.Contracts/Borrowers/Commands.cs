using System.Collections.Immutable;

namespace OrleansReminders.Contracts.Borrowers;

/// <summary>One problem with one input field.</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.FieldProblem")]
public sealed record FieldProblem([property: Id(0)] string Field, [property: Id(1)] string Message);

/// <summary>Outcome of a command: accepted, or rejected with every problem (and nothing changed).</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.CommandResult")]
public sealed record CommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] ImmutableArray<FieldProblem> Problems,
    [property: Id(2)] string? Message = null)
{
    public static CommandResult Accepted(string? message = null) => new(CommandOutcome.Accepted, [], message);

    public static CommandResult Rejected(IEnumerable<FieldProblem> problems) => new(CommandOutcome.Rejected, [.. problems]);

    public static CommandResult Rejected(string field, string message) => Rejected([new FieldProblem(field, message)]);

    public static CommandResult Unknown(string message) => new(CommandOutcome.NotFound, [], message);

    public bool IsAccepted => Outcome == CommandOutcome.Accepted;
}

public enum CommandOutcome
{
    Accepted,
    Rejected,
    NotFound,
}

/// <summary>Profile and debts of a borrower. Dates are the borrower's local calendar dates.</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.BorrowerUpsert")]
public sealed record BorrowerUpsert(
    [property: Id(0)] string Phone,
    [property: Id(1)] string Locale,
    [property: Id(2)] ImmutableArray<string> TimeZones,
    [property: Id(3)] string Region,
    [property: Id(4)] ImmutableArray<DebtInput> Debts,
    [property: Id(5)] string? Name = null,
    [property: Id(6)] string? Jurisdiction = null,
    [property: Id(7)] DateOnly? Birthday = null,
    [property: Id(8)] string? Segment = null,
    [property: Id(9)] string? PaymentSegment = null,
    [property: Id(10)] bool IsNewCustomer = false,
    [property: Id(11)] RiskInput? Risk = null);

[GenerateSerializer, Immutable, Alias("OrleansReminders.DebtInput")]
public sealed record DebtInput(
    [property: Id(0)] string DebtId,
    [property: Id(1)] decimal AmountDue,
    [property: Id(2)] string Currency,
    [property: Id(3)] DateOnly DueDate);

/// <summary>Inputs of the risk score (see the domain's RiskScorer).</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.RiskInput")]
public sealed record RiskInput(
    [property: Id(0)] decimal LateShareLast12Months,
    [property: Id(1)] int PriorDelinquencies,
    [property: Id(2)] int? CreditScore = null);

[GenerateSerializer, Immutable, Alias("OrleansReminders.PaymentRecord")]
public sealed record PaymentRecord(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] DateTimeOffset ReceivedAt);

[GenerateSerializer, Immutable, Alias("OrleansReminders.PromiseRecord")]
public sealed record PromiseRecord(
    [property: Id(0)] DateOnly Until,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Actor,
    [property: Id(3)] string? Reason = null);

[GenerateSerializer, Immutable, Alias("OrleansReminders.OpsAction")]
public sealed record OpsAction([property: Id(0)] string Operator, [property: Id(1)] string Reason);

[GenerateSerializer, Immutable, Alias("OrleansReminders.EscalationReassignment")]
public sealed record EscalationReassignment(
    [property: Id(0)] int Level,
    [property: Id(1)] string Operator,
    [property: Id(2)] string Reason);

[GenerateSerializer, Immutable, Alias("OrleansReminders.DeliveryReceipt")]
public sealed record DeliveryReceipt(
    [property: Id(0)] string MessageKey,
    [property: Id(1)] DeliveryStatus Status,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? ProviderCode = null);

/// <summary>Delivery statuses in the only order they may move: a later status never goes back.</summary>
public enum DeliveryStatus
{
    Queued = 0,
    Sent = 1,
    Delivered = 2,
    Failed = 3,
    Undeliverable = 4,
}

/// <summary>
/// What a dispatcher tells a borrower about offer number <paramref name="Offer"/> of one of its messages: the
/// provider accepted it, it failed for good, or it comes back unsent (<paramref name="MaybeSent"/>: a send of
/// it got no answer, so the provider may have it).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.SendReport")]
public sealed record SendReport(
    [property: Id(0)] string MessageKey,
    [property: Id(1)] int Offer,
    [property: Id(2)] SendReportKind Kind,
    [property: Id(3)] string? Reason = null,
    [property: Id(4)] bool MaybeSent = false);

public enum SendReportKind
{
    Accepted = 0,
    Failed = 1,
    Undeliverable = 2,
    Returned = 3,
}

[GenerateSerializer, Immutable, Alias("OrleansReminders.InboundReply")]
public sealed record InboundReply(
    [property: Id(0)] string ReplyId,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? MessageKey = null);
