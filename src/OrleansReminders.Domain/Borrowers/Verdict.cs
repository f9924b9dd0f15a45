using System.Collections.Immutable;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>What the borrower's rules are made of: the planner (strategy and contact policy), tiering and input limits.</summary>
public sealed record BorrowerRules(BorrowerPlanner Planner, TieringOptions Tiering, InputLimits Limits);

/// <summary>What a caller of a <see cref="BorrowerCase"/> operation has to do with its result.</summary>
public enum VerdictKind
{
    /// <summary>Changed: take a step (plan, offer, schedule), store the file, then hand over what was offered.</summary>
    Changed,

    /// <summary>Changed, and stored as it is: no step (a delivery receipt).</summary>
    Stored,

    /// <summary>Changed, kept in memory and stored with the next write (a dispatcher's acceptance).</summary>
    Kept,

    /// <summary>Nothing changed (a retry already applied, a late report): answer, store nothing.</summary>
    Unchanged,

    /// <summary>Bad input: nothing changed; <see cref="Verdict.Problems"/> says which field and why.</summary>
    Rejected,

    /// <summary>The borrower or the message is not known.</summary>
    Unknown,
}

/// <summary>
/// The answer of a <see cref="BorrowerCase"/> operation. <see cref="StatusOf"/> names a message whose status,
/// read after the step, is the note.
/// </summary>
public sealed record Verdict(VerdictKind Kind, string? Note = null, ImmutableArray<FieldError> Problems = default, string? StatusOf = null)
{
    public bool Accepted => Kind is not (VerdictKind.Rejected or VerdictKind.Unknown);

    public static Verdict Changed(string? note = null) => new(VerdictKind.Changed, note);

    public static Verdict Unchanged(string note) => new(VerdictKind.Unchanged, note);

    public static Verdict Rejected(IEnumerable<FieldError> problems) => new(VerdictKind.Rejected, Problems: [.. problems]);

    public static Verdict Unknown(string note) => new(VerdictKind.Unknown, note);
}

/// <summary>What the borrower's one reminder needs after a step.</summary>
public enum ReminderOp
{
    None,

    /// <summary>Register (or move) it to tick first after <see cref="ReminderChange.Due"/>, then every <see cref="BorrowerCase.ReminderPeriod"/>.</summary>
    Register,

    Unregister,
}

public readonly record struct ReminderChange(ReminderOp Op, Duration Due = default)
{
    public static readonly ReminderChange None = new(ReminderOp.None);
}

/// <summary>
/// The result of a step: the plan, the messages offered (stored as offered before they are handed over) and
/// what the reminder needs.
/// </summary>
public sealed record StepResult(BorrowerPlan Plan, ImmutableArray<OutboxMessage> Offered, ReminderChange Reminder, RiskTier Tier);

/// <summary>After the dispatcher's answers to a hand-over: whether they changed anything, whether that is stored now, and the reminder.</summary>
public readonly record struct HandOverFollowUp(bool Changed, bool Write, ReminderChange Reminder);
