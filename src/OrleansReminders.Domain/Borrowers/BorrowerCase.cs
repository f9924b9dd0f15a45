using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Replies;
using OrleansReminders.Domain.Strategy;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// One borrower's rules applied to its <see cref="BorrowerFile"/>: every operation of the borrower grain is a
/// method here that decides and answers a <see cref="Verdict"/>, and <see cref="Step"/> plans, queues, offers and
/// says what the reminder needs. A case starts from a file and ends with <see cref="Snapshot"/>, the next file,
/// and <see cref="TakeEvents"/>, the history it recorded; a caller that cannot store them drops the case and keeps
/// the file it started from. No Orleans, no I/O, no clock: the instant comes with each call.
/// </summary>
public sealed class BorrowerCase
{
    /// <summary>The reminder's period: it ticks daily from its first due time.</summary>
    public static readonly Duration ReminderPeriod = Duration.FromDays(1);

    private readonly string _id;
    private readonly BorrowerRules _rules;
    private readonly Func<int, string, string> _keyFor;
    private Outbox? _outbox;
    private readonly List<CaseEvent> _events = [];
    private BorrowerFile _file;

    /// <param name="id">The borrower id.</param>
    /// <param name="file">What is stored (or kept) now.</param>
    /// <param name="rules">Strategy, policy, tiering and limits.</param>
    /// <param name="keyFor">A message's idempotency key from the debt cycle and the step.</param>
    public BorrowerCase(string id, BorrowerFile file, BorrowerRules rules, Func<int, string, string> keyFor)
    {
        (_id, _file, _rules, _keyFor) = (id, file, rules, keyFor);
    }

    public bool Exists => _file.Exists;

    /// <summary>The outbox, built from the file when first needed (a status read never needs it).</summary>
    public Outbox Outbox => _outbox ??= new Outbox(_file.Outbox);

    /// <summary>The history recorded since the last take, oldest first.</summary>
    public IReadOnlyList<CaseEvent> TakeEvents()
    {
        var taken = _events.ToList();
        _events.Clear();
        return taken;
    }

    /// <summary>The file as this case left it, settled messages and old contact attempts pruned.</summary>
    public BorrowerFile Snapshot(Instant now)
    {
        Outbox.Prune(now);
        var since = now - BorrowerFile.ContactLookback;
        _file = _file with { Outbox = [.. Outbox.Messages], Contacts = _file.Contacts.RemoveAll(c => c.At < since) };
        return _file;
    }

    public BorrowerProfile Profile => _file.Profile;

    public LocalDate Today(Instant now) => now.InZone(_file.Profile.Zone).Date;

    /// <summary>The start of the borrower's next local day (a status read is good until then).</summary>
    public Instant NextLocalMidnight(Instant now) => _file.Profile.Zone.AtStartOfDay(Today(now).PlusDays(1)).ToInstant();

    public TierAssessment Assess(Instant now)
    {
        var debt = _file.OldestOpenDebt;
        var daysPastDue = debt is null ? 0 : Math.Max(0, Period.Between(debt.DueDate, Today(now), PeriodUnits.Days).Days);
        var input = new TieringInput(daysPastDue, _file.Debts.Sum(d => d.Outstanding), _file.Risk.LateShareLast12Months,
            _file.Risk.PriorDelinquencies, _file.Risk.CreditScore);
        return RiskScorer.Assess(input, _rules.Tiering, _file.Risk.Override);
    }

    /// <summary>What the planner sees.</summary>
    public BorrowerFacts Facts(RiskTier tier) => new(
        tier,
        _file.OldestOpenDebt?.DueDate,
        _file.Ladder with
        {
            IsNewCustomer = _file.Profile.IsNewCustomer,
            Segment = BorrowerProfile.ParseSegment(_file.Profile.PaymentSegment) ?? PaymentSegment.Standard,
        },
        ContactProfile(),
        _file.Contacts,
        _file.Consent.Paused);

    /// <summary>The debt a message speaks of (the oldest open one, else the latest) and how many days it is overdue.</summary>
    public (Debt Debt, int DaysOverdue)? MessageDebt(Instant now) =>
        (_file.OldestOpenDebt ?? _file.Debts.MaxBy(d => d.DueDate)) is { } debt
            ? (debt, Math.Max(0, Period.Between(debt.DueDate, Today(now), PeriodUnits.Days).Days))
            : null;

    /// <summary>
    /// Profile, debts and risk from the lender (already validated). Debts keep what was paid on each; only a
    /// different oldest open due date starts a new cycle (new message keys, ladder from the start), so a changed
    /// amount never sends a step twice.
    /// </summary>
    public Verdict Upsert(BorrowerProfile profile, ImmutableArray<Debt> debts, RiskFacts? risk, Instant now)
    {
        var changed = !_file.Exists || _file.Debts.Length != debts.Length || !_file.Debts.Zip(debts).All(p => p.First.SameTerms(p.Second));
        _file = _file with
        {
            Exists = true,
            Profile = profile,
            Risk = risk is null ? _file.Risk : risk with { Override = _file.Risk.Override },
        };
        var reason = !changed ? "profile" : MergeDebts(debts) ? "new debt cycle" : "debts changed";
        Record(now, "borrower.upserted", "api", reason);
        return Verdict.Changed();
    }

    /// <summary>A payment, applied to the oldest open debts first, once per payment id; paying all resolves the borrower and thanks them.</summary>
    public Verdict Pay(string paymentId, decimal amount, string currency, Instant receivedAt, Instant now)
    {
        if (Missing() is { } missing)
        {
            return missing;
        }

        var invalid = DebtRules.ValidatePayment(paymentId, amount, currency, receivedAt, now, _rules.Limits).ToList();
        if (invalid.Count > 0)
        {
            return Verdict.Rejected(invalid);
        }

        if (!Remember($"payment:{paymentId}"))
        {
            return Verdict.Unchanged("payment already recorded");
        }

        var applied = DebtRules.Allocate(amount, [.. _file.Debts.Select(d => (d.DueDate, d.Outstanding))]);
        var debts = _file.Debts.Select((d, i) => d with { Paid = d.Paid + applied[i] }).ToImmutableArray();
        var full = debts.All(d => d.Outstanding == 0);
        _file = _file with { Debts = debts, Resolved = _file.Resolved || full };
        Record(now, full ? "payment.full" : "payment.partial", "api", data: [("paymentId", paymentId)]);
        if (full)
        {
            QueueTransactional("thanks.payment", now);
        }

        return Verdict.Changed(full ? "resolved" : "partial payment");
    }

    /// <summary>A promise to pay or an agreed plan: the ladder waits until <paramref name="until"/>.</summary>
    public Verdict Promise(LocalDate until, string kind, string actor, string? reason, Instant now)
    {
        if (Missing() is { } missing)
        {
            return missing;
        }

        var problems = PromiseRules.Validate(until, kind, Today(now)).ToList();
        if (problems.Count > 0)
        {
            return Verdict.Rejected(problems);
        }

        _file = _file with
        {
            Ladder = _file.Ladder with { SuspendedUntil = until },
            SuspensionKind = kind,
            Consent = _file.Consent with { PlanOfferOpen = false },
        };
        Record(now, "plan.agreed", actor, reason, data: [("until", until.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture))]);
        return Verdict.Changed();
    }

    /// <summary>Ops pause (nothing is sent) or resume; audited, so operator and reason are required.</summary>
    public Verdict SetPaused(bool paused, string? @operator, string? reason, Instant now)
    {
        if (Missing() is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrWhiteSpace(@operator) || string.IsNullOrWhiteSpace(reason))
        {
            return Verdict.Rejected(MissingOps(@operator, reason));
        }

        _file = _file with { Consent = _file.Consent with { Paused = paused, PauseReason = paused ? reason : null } };
        Record(now, paused ? "borrower.paused" : "borrower.resumed", @operator, reason);
        return Verdict.Changed();
    }

    /// <summary>Ops move the borrower to an escalation level: 0 = back on the SMS ladder, n = escalation step n under way.</summary>
    public Verdict Reassign(int level, string? @operator, string? reason, Instant now)
    {
        if (Missing() is { } missing)
        {
            return missing;
        }

        var levels = _rules.Planner.EscalationLevels(Assess(now).EffectiveTier);
        if (level < 0 || level > levels)
        {
            return Verdict.Rejected([new FieldError("level", $"must be between 0 (SMS ladder) and {levels}")]);
        }

        if (string.IsNullOrWhiteSpace(@operator) || string.IsNullOrWhiteSpace(reason))
        {
            return Verdict.Rejected(MissingOps(@operator, reason));
        }

        _file = _file with { Ladder = LadderProgress.Reassigned(_file.Ladder, level, Today(now)) };
        Record(now, "escalation.reassigned", @operator, reason, data: [("level", level.ToString(CultureInfo.InvariantCulture))]);
        return Verdict.Changed();
    }

    /// <summary>A reply from the borrower, once per reply id: classified, it resets the unanswered run and has its intent's effects.</summary>
    public Verdict Reply(string replyId, string text, Instant now)
    {
        if (Missing() is { } missing)
        {
            return missing;
        }

        if (!Remember($"reply:{replyId}"))
        {
            return Verdict.Unchanged("reply already handled");
        }

        var classification = ReplyClassifier.Classify(text);
        var effects = ReplyEffects.For(classification.Intent);
        var consent = _file.Consent with
        {
            OptedOut = effects.OptedOut ?? _file.Consent.OptedOut,
            PlanOfferOpen = _file.Consent.PlanOfferOpen || effects.OpenPlanOffer,
            Complaint = _file.Consent.Complaint || effects.FlagComplaint,
        };
        if (effects.PauseReason is { } pause)
        {
            consent = consent with { Paused = true, PauseReason = pause };
        }

        _file = _file with
        {
            Counts = _file.Counts with { Replies = _file.Counts.Replies + 1 },
            Ladder = LadderProgress.AfterReply(_file.Ladder),
            Consent = consent,
        };
        if (effects.CancelQueuedReason is { } cancel)
        {
            Outbox.CancelPending(cancel);
        }

        var intent = classification.Intent.ToString();
        Record(now, $"reply.{intent.ToLowerInvariant()}", "borrower", classification.Rule?.Id, "sms", data: [("rule", classification.Rule?.Id ?? "none")]);
        return Verdict.Changed(intent);
    }

    /// <summary>A provider's delivery receipt; receipts only move a message forward. Stored without a step.</summary>
    public Verdict Receipt(string key, SendOutcome? outcome, string? providerCode, Instant now)
    {
        if (Outbox.Find(key) is null)
        {
            return Verdict.Unknown($"no message {key} for this borrower");
        }

        if (outcome is not { } settled || !Outbox.Receipt(key, settled, providerCode))
        {
            return Verdict.Unchanged("status unchanged (receipts only move forward)");
        }

        ApplyOutboxEvents(now);
        return new Verdict(VerdictKind.Stored);
    }

    /// <summary>
    /// The dispatcher's report that the provider accepted a message. Kept, not stored on its own: if it is lost
    /// first, the stored offer's lease brings the question back and the dispatcher or the provider answers it again.
    /// </summary>
    public Verdict Accepted(string key, Instant now)
    {
        if (Outbox.Find(key) is null)
        {
            return Verdict.Unknown($"no message {key} for this borrower");
        }

        if (!Outbox.Accepted(key))
        {
            return Verdict.Unchanged("unchanged: a late report about an earlier offer");
        }

        ApplyOutboxEvents(now);
        return new Verdict(VerdictKind.Kept, "accepted");
    }

    /// <summary>The dispatcher hands a message back unsent (or maybe sent): it is offered again under its key, in its next window.</summary>
    public Verdict Returned(string key, int offer, bool maybeSent, string? reason, Instant now)
    {
        if (Outbox.Find(key) is null)
        {
            return Verdict.Unknown($"no message {key} for this borrower");
        }

        Outbox.Returned(key, offer, maybeSent, now, reason ?? "returned by its dispatcher", m => NextWindow(m, now));
        return Reported(key);
    }

    /// <summary>The dispatcher's final word: the message failed or cannot be delivered.</summary>
    public Verdict GaveUp(string key, int offer, SendOutcome outcome, string? reason)
    {
        if (Outbox.Find(key) is null)
        {
            return Verdict.Unknown($"no message {key} for this borrower");
        }

        Outbox.GaveUp(key, offer, outcome, reason);
        return Reported(key);
    }

    /// <summary>A message's current status, as the note of a <see cref="Verdict.StatusOf"/> verdict.</summary>
    public string? Note(Verdict verdict) =>
        verdict.StatusOf is { } key ? Outbox.Find(key)?.Status.ToString().ToLowerInvariant() : verdict.Note;

    /// <summary>
    /// A reminder tick says where the ticks really fall (<paramref name="firstTick"/>, on the clock of the silo that
    /// owns the reminder). Taken as the reminder's phase, so a wake a moment after this tick is registered anew
    /// instead of being left to the next tick, a period later.
    /// </summary>
    public void Ticked(Instant firstTick, Duration period)
    {
        if (_file.Reminder.FirstTick != firstTick || _file.Reminder.Period != period)
        {
            _file = _file with { Reminder = new ReminderTicks(firstTick, period) };
        }
    }

    /// <summary>
    /// One step: the outbox reviews leases and closed windows, the planner decides, a due action goes into the
    /// outbox, due messages are offered under <paramref name="lease"/>, and the reminder is set for what comes next.
    /// A second step at the same instant finds the ladder past it: nothing is queued twice.
    /// </summary>
    public StepResult Step(Instant now, Duration lease)
    {
        var tier = Assess(now).EffectiveTier;
        Outbox.Review(now, m => NextWindow(m, now));
        ApplyOutboxEvents(now);
        var plan = _rules.Planner.Plan(Facts(tier), now);
        if (plan is PlanSend send)
        {
            QueueStep(send, tier, now);
            var after = _rules.Planner.Plan(Facts(tier), now);
            plan = after is PlanSend ? new PlanWait(now + Duration.FromMinutes(1), "another step is due") : after;
        }

        var offered = Outbox.Offer(now, lease);
        ApplyOutboxEvents(now);
        return new StepResult(plan, offered, Schedule(plan, now), tier);
    }

    /// <summary>The dispatcher's answer to a hand-over of <paramref name="message"/>.</summary>
    public void HandedOver(OutboxMessage message, HandOverAnswer answer, Instant? retryAt, string? reason, Instant now) =>
        Outbox.Answered(message.Key, message.Offers, answer, answer == HandOverAnswer.Deferred ? retryAt ?? now + Duration.FromMinutes(1) : retryAt, reason);

    /// <summary>The dispatcher refused a hand-over outright.</summary>
    public void HandOverRefused(OutboxMessage message, string? reason) =>
        Outbox.GaveUp(message.Key, message.Offers, SendOutcome.Failed, reason);

    /// <summary>
    /// After the answers to a hand-over: "taken" changes nothing; "sent at once" is kept like a dispatcher's
    /// report; deferred or refused is stored now, and a reminder kept only for a lease goes.
    /// </summary>
    public HandOverFollowUp AfterHandOver(Instant now)
    {
        if (Outbox.Events.Count == 0)
        {
            return default;
        }

        var onlyAccepted = Outbox.Events.All(e => e.Kind == OutboxEventKind.Accepted);
        ApplyOutboxEvents(now);
        if (_file.NextActionAt is null && Outbox.NextLeaseEnd() is null)
        {
            return new HandOverFollowUp(true, true, Unschedule());
        }

        return new HandOverFollowUp(true, !onlyAccepted, ReminderChange.None);
    }

    private Verdict Reported(string key) => Outbox.Events.Count == 0
        ? Verdict.Unchanged("unchanged: a late report about an earlier offer")
        : new Verdict(VerdictKind.Changed, StatusOf: key);

    /// <summary>
    /// When to wake next: the plan's instant or a pending message's window, whichever is first. A due time on a
    /// later tick of the reminder needs no registration; a message still offered keeps one registered.
    /// </summary>
    private ReminderChange Schedule(BorrowerPlan plan, Instant now)
    {
        Instant? wake = plan switch
        {
            PlanWait wait => wait.At,
            PlanSend => now,
            _ => null,
        };
        if (Outbox.NextPending(now) is { } pending && (wake is null || pending < wake))
        {
            wake = pending;
        }

        _file = _file with
        {
            NextActionAt = wake,
            NextAction = plan switch
            {
                PlanWait wait => wait.Reason,
                PlanDone done => "done: " + done.Reason,
                PlanIdle idle => "idle: " + idle.Reason,
                _ => "send now",
            },
        };
        if (wake is null && Outbox.NextLeaseEnd() is { } leaseEnd)
        {
            return _file.Reminder.FirstTick is null ? Register(leaseEnd, now) : ReminderChange.None;
        }

        if (wake is not { } at)
        {
            return Unschedule();
        }

        return _file.Reminder.Covers(at) ? ReminderChange.None : Register(at, now);
    }

    private ReminderChange Register(Instant at, Instant now)
    {
        _file = _file with { Reminder = new ReminderTicks(at, ReminderPeriod) };
        return new ReminderChange(ReminderOp.Register, at < now ? Duration.Zero : at - now);
    }

    private ReminderChange Unschedule()
    {
        if (_file.Reminder.FirstTick is null)
        {
            return ReminderChange.None;
        }

        _file = _file with { Reminder = _file.Reminder with { FirstTick = null } };
        return new ReminderChange(ReminderOp.Unregister);
    }

    private void QueueStep(PlanSend send, RiskTier tier, Instant now)
    {
        var action = send.Action;
        foreach (var skipped in action.SkippedStepIndices)
        {
            Record(now, "step.skipped", "system", "its date had passed", stage: $"L{skipped}");
        }

        _file = _file with { Ladder = LadderProgress.AfterAction(_file.Ladder, action, Today(now)) };
        var key = _keyFor(_file.Cycle, action.StepKey);
        var message = new OutboxMessage(key, action.Channel, action.TemplateKey, action.StepKey, Transactional: false,
            action.Urgency == StepUrgency.Urgent, action.CountsAsUnanswered, now, send.SendBy, ToneVariant: action.ToneVariant);
        if (!Outbox.Add(message))
        {
            return; // recorded on an earlier step
        }

        var contacts = _file.Contacts.Add(new ContactRecord(action.Channel, now));
        _file = _file with { Contacts = contacts.Length > BorrowerFile.ContactWindow ? contacts.RemoveRange(0, contacts.Length - BorrowerFile.ContactWindow) : contacts };
        // When the step was planned for, if that has passed: how late it ran (a missed tick, an outage) is in the history.
        (string, string)[] data = [("messageKey", key), ("template", action.TemplateKey), ("tier", tier.ToString().ToLowerInvariant()), ("variant", action.ToneVariant ?? "default")];
        Record(now, "message.queued", "system", action.IsEscalation ? "escalation" : "ladder", Lower(action.Channel), action.StepKey,
            _file.NextActionAt is { } planned && planned <= now
                ? [.. data, ("planned", planned.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture))]
                : [.. data]);
    }

    private void QueueTransactional(string templateKey, Instant now)
    {
        var key = _keyFor(_file.Cycle, templateKey);
        if (!_file.Consent.OptedOut && Outbox.Add(new OutboxMessage(key, Channel.Sms, templateKey, templateKey,
            Transactional: true, Urgent: false, CountsAsUnanswered: false, now, now + Duration.FromDays(1))))
        {
            Record(now, "message.queued", "system", "transactional", "sms", templateKey, [("messageKey", key)]);
        }
    }

    /// <summary>The policy's next window for a message that could not leave in its own (its own attempt set aside).</summary>
    private Reslot NextWindow(OutboxMessage message, Instant now)
    {
        if (!message.Transactional)
        {
            RemoveContact(message.NotBefore ?? message.CreatedAt);
        }

        var slot = _rules.Planner.Reslot(Facts(Assess(now).EffectiveTier), now, message.Channel, message.Transactional, message.Urgent, out var refusal);
        return slot is { } next ? Reslot.To(next.At, next.SendBy) : Reslot.None(refusal ?? "no allowed window");
    }

    /// <summary>Turns what the outbox decided into counters, the unanswered run, contact attempts and history.</summary>
    private void ApplyOutboxEvents(Instant now)
    {
        foreach (var e in Outbox.TakeEvents())
        {
            var m = e.Message;
            var c = _file.Counts;
            _file = _file with
            {
                Counts = c with
                {
                    Sent = c.Sent + (e.CountsAsSent ? 1 : 0),
                    Delivered = c.Delivered + (e.CountsAsDelivered ? 1 : 0),
                    Failed = c.Failed + (e.CountsAsFailed ? 1 : 0),
                },
                Ladder = e.CountsAsSent ? LadderProgress.AfterAccepted(_file.Ladder, m.CountsAsUnanswered) : _file.Ladder,
            };
            if (e.ContactRemovedAt is { } removed)
            {
                RemoveContact(removed);
            }

            if (e.ContactAddedAt is { } added)
            {
                _file = _file with { Contacts = _file.Contacts.Add(new ContactRecord(m.Channel, added)) };
            }

            if (e.HistoryKind is not { } kind)
            {
                continue;
            }

            (string, string)? data = e.Kind switch
            {
                OutboxEventKind.Accepted => ("attempt", m.Offers.ToString(CultureInfo.InvariantCulture)),
                OutboxEventKind.LeaseExpired or OutboxEventKind.Returned => ("offer", m.Offers.ToString(CultureInfo.InvariantCulture)),
                OutboxEventKind.Rescheduled => ("at", e.At!.Value.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture)),
                _ => null,
            };
            var actor = e.Kind is OutboxEventKind.Delivered or OutboxEventKind.Failed or OutboxEventKind.Undeliverable ? "provider" : "system";
            Record(now, kind, actor, e.Kind == OutboxEventKind.Accepted ? null : e.Reason, Lower(m.Channel), m.Stage,
                data is { } d ? [("messageKey", m.Key), d] : [("messageKey", m.Key)]);
        }
    }

    private void RemoveContact(Instant at) =>
        _file = _file with { Contacts = _file.Contacts.RemoveAll(c => c.At == at && c.Kind != MessageKind.Transactional) };

    private ContactProfile ContactProfile() => new()
    {
        TimeZoneIds = _file.Profile.TimeZones,
        Region = _file.Profile.Region,
        Jurisdiction = _file.Profile.Jurisdiction,
        Birthday = _file.Profile.Birthday is { } b ? new AnnualDate(b.Month, b.Day) : null,
        Segment = _file.Profile.Segment,
        Flags = new ContactFlags
        {
            OptedOutAll = _file.Consent.OptedOut,
            Dispute = _file.Consent.Dispute,
            Complaint = _file.Consent.Complaint,
            LegalHold = _file.Consent.LegalHold,
            Deceased = _file.Consent.Deceased,
            Bankruptcy = _file.Consent.Bankruptcy,
        },
    };

    /// <summary>Replaces the debts keeping what was paid on each; true when the oldest open due date moved (a new cycle).</summary>
    private bool MergeDebts(ImmutableArray<Debt> debts)
    {
        var oldDue = _file.OldestOpenDebt?.DueDate;
        var merged = debts.Select(d => d with { Paid = _file.Debts.FirstOrDefault(o => o.DebtId == d.DebtId && o.DueDate == d.DueDate)?.Paid ?? 0 })
            .ToImmutableArray();
        _file = _file with { Debts = merged, Resolved = merged.All(d => d.Outstanding == 0) };
        if (_file.OldestOpenDebt?.DueDate == oldDue)
        {
            return false;
        }

        _file = _file with { Cycle = _file.Cycle + 1, Ladder = new LadderState(), SuspensionKind = null };
        return true;
    }

    private bool Remember(string id)
    {
        if (_file.ProcessedIds.Contains(id))
        {
            return false;
        }

        var ids = _file.ProcessedIds.Add(id);
        _file = _file with { ProcessedIds = ids.Length > BorrowerFile.ProcessedIdWindow ? ids.RemoveRange(0, ids.Length - BorrowerFile.ProcessedIdWindow) : ids };
        return true;
    }

    private Verdict? Missing() => _file.Exists ? null : Verdict.Unknown($"borrower {_id} is not known");

    private static IEnumerable<FieldError> MissingOps(string? @operator, string? reason)
    {
        if (string.IsNullOrWhiteSpace(@operator))
        {
            yield return new FieldError("operator", "is required (ops actions are audited)");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            yield return new FieldError("reason", "is required (ops actions are audited)");
        }
    }

    private void Record(Instant now, string kind, string actor, string? reason = null, string? channel = null, string? stage = null,
        ImmutableArray<(string Key, string Value)> data = default) =>
        _events.Add(new CaseEvent(now, kind, actor, reason, channel, stage, data));

    private static string Lower(Channel channel) => channel.ToString().ToLowerInvariant();
}
