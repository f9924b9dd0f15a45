namespace OrleansReminders.Domain.Reports;

/// <summary>
/// One history event as the funnel reads it (kind, stage, data and channel as the borrower grain records them;
/// a contact queued without a channel is read as a message).
/// </summary>
public sealed record FunnelEvent(string BorrowerId, DateTimeOffset At, string Kind, string? Stage, IReadOnlyDictionary<string, string>? Data, string? Channel = null);

/// <summary>How report rows are grouped besides the tier.</summary>
public enum FunnelGrouping
{
    TierStageVariant,
    Hour,
    Weekday,
}

/// <summary>A funnel group: risk tier, ladder stage (L0…, E0…) and template variant.</summary>
public sealed record FunnelKey(string Tier, string Stage, string Variant);

/// <summary>One group's funnel, or the total; the columns are defined on <see cref="Funnel"/>.</summary>
public sealed record FunnelRow(FunnelKey Key, int Sent, int Delivered, int Tasks, int Contacted, int Replied, int OptedOut, int Paid)
{
    /// <summary>Paid per borrower contacted.</summary>
    public double Conversion => Contacted == 0 ? 0 : (double)Paid / Contacted;
}

/// <summary>
/// The collection funnel over borrowers' histories, per group (tier, stage and variant, or a regrouping)
/// and in total. What it counts:
/// <list type="bullet">
/// <item>A <b>contact</b> is a collection step the borrower grain queued (<c>message.queued</c> with a tier: ladder
/// steps and escalation stages; transactional messages such as the payment thank-you carry no tier and do not
/// count), counted once per message key however often it was offered, and only once the provider accepted it (its first
/// <c>message.sent</c>). Its group is its tier, stage and variant when queued.</item>
/// <item><see cref="FunnelRow.Sent"/>: contacts that are messages (SMS, email) handed to the provider.</item>
/// <item><see cref="FunnelRow.Delivered"/>: messages with a delivery receipt (<c>message.delivered</c>).</item>
/// <item><see cref="FunnelRow.Tasks"/>: contacts that are call tasks or agency hand-offs (channels <c>call</c>,
/// <c>agency</c>). They are never counted as sent or delivered, whatever a provider reported for them.</item>
/// <item><see cref="FunnelRow.Contacted"/>: distinct borrowers with at least one contact in the group.</item>
/// <item><see cref="FunnelRow.Replied"/>: contacts answered: a reply arrived while it was the borrower's last
/// contact (last touch), counted once however many replies followed.</item>
/// <item><see cref="FunnelRow.OptedOut"/>: contacts followed by an opt-out reply while they were the last contact.</item>
/// <item><see cref="FunnelRow.Paid"/>: borrowers whose first full payment after a contact came while it was the last
/// contact: a borrower counts once, so paid ≤ contacted; <see cref="FunnelRow.Conversion"/> = paid / contacted.</item>
/// </list>
/// The total (<see cref="Total"/>) is the same computation with every contact in one group: sent, delivered, tasks,
/// replied, opted out and paid are the sums of the rows; contacted counts distinct borrowers (a borrower
/// contacted at several stages is one borrower), so it is at most the rows' sum.
/// </summary>
public static class Funnel
{
    /// <summary>The key of the total row.</summary>
    public static readonly FunnelKey AllKey = new("all", "", "");

    /// <summary>
    /// The regrouping for a report dimension: null (tier/stage/variant as queued), or the UTC hour or weekday a
    /// message was queued in place of its stage (variants merged as "all").
    /// </summary>
    public static Func<FunnelKey, DateTimeOffset, FunnelKey>? By(FunnelGrouping grouping) => grouping switch
    {
        FunnelGrouping.Hour => (key, at) => new FunnelKey(key.Tier, at.UtcDateTime.Hour.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "h", "all"),
        FunnelGrouping.Weekday => (key, at) => new FunnelKey(key.Tier, at.UtcDateTime.DayOfWeek.ToString(), "all"),
        _ => null,
    };

    /// <summary>Whether a channel is a task for people (call, agency) rather than a message to the borrower.</summary>
    public static bool IsTask(string? channel) =>
        string.Equals(channel, "call", StringComparison.OrdinalIgnoreCase) || string.Equals(channel, "agency", StringComparison.OrdinalIgnoreCase);

    /// <summary>The total row: <see cref="Build"/> with every contact in the group <see cref="AllKey"/>.</summary>
    public static FunnelRow Total(IEnumerable<FunnelEvent> events) =>
        Build(events, static (_, _) => AllKey) is [var total] ? total : new FunnelRow(AllKey, 0, 0, 0, 0, 0, 0, 0);

    /// <param name="events">Borrowers' events, any order.</param>
    /// <param name="regroup">
    /// Optional: the group a contact counts in, from its (tier, stage, variant) and the time it was queued —
    /// e.g. by hour of day or weekday; by default the (tier, stage, variant) itself.
    /// </param>
    public static IReadOnlyList<FunnelRow> Build(IEnumerable<FunnelEvent> events, Func<FunnelKey, DateTimeOffset, FunnelKey>? regroup = null)
    {
        var rows = new Dictionary<FunnelKey, Counts>();
        foreach (var borrower in events.GroupBy(e => e.BorrowerId, StringComparer.Ordinal))
        {
            CountBorrower(borrower.Key, borrower.OrderBy(e => e.At), regroup, rows);
        }

        return [.. rows.Select(r => r.Value.ToRow(r.Key))
            .OrderBy(r => r.Key.Tier, StringComparer.Ordinal).ThenBy(r => StageOrder(r.Key.Stage)).ThenBy(r => r.Key.Variant, StringComparer.Ordinal)];
    }

    private static void CountBorrower(string borrowerId, IEnumerable<FunnelEvent> history, Func<FunnelKey, DateTimeOffset, FunnelKey>? regroup, Dictionary<FunnelKey, Counts> rows)
    {
        var contacts = new Dictionary<string, (FunnelKey Key, bool Task)>(StringComparer.Ordinal);
        var handedOver = new HashSet<string>(StringComparer.Ordinal);
        var delivered = new HashSet<string>(StringComparer.Ordinal);
        Counts? lastTouch = null;
        var repliedSinceTouch = false;
        var optedOutSinceTouch = false;
        var paid = false;
        foreach (var e in history)
        {
            var messageKey = e.Data?.GetValueOrDefault("messageKey");
            switch (e.Kind)
            {
                case "message.queued" when messageKey is not null && e.Data!.TryGetValue("tier", out var tier):
                    var queued = new FunnelKey(tier, e.Stage ?? "?", e.Data.GetValueOrDefault("variant") ?? "default");
                    contacts[messageKey] = (regroup is null ? queued : regroup(queued, e.At), IsTask(e.Channel));
                    break;
                case "message.sent" when messageKey is not null && contacts.TryGetValue(messageKey, out var contact) && handedOver.Add(messageKey):
                    lastTouch = Row(rows, contact.Key);
                    lastTouch.Add(borrowerId, contact.Task);
                    (repliedSinceTouch, optedOutSinceTouch) = (false, false);
                    break;
                case "message.delivered" when messageKey is not null && contacts.TryGetValue(messageKey, out var contact) && !contact.Task && delivered.Add(messageKey):
                    Row(rows, contact.Key).Delivered++;
                    break;
                case var kind when kind.StartsWith("reply.", StringComparison.Ordinal) && lastTouch is not null:
                    if (!repliedSinceTouch)
                    {
                        lastTouch.Replied++;
                        repliedSinceTouch = true;
                    }

                    if (kind == "reply.optout" && !optedOutSinceTouch)
                    {
                        lastTouch.OptedOut++;
                        optedOutSinceTouch = true;
                    }

                    break;
                case "payment.full" when lastTouch is not null && !paid:
                    lastTouch.Paid++;
                    paid = true;
                    break;
            }
        }
    }

    private static Counts Row(Dictionary<FunnelKey, Counts> rows, FunnelKey key)
    {
        if (!rows.TryGetValue(key, out var counts))
        {
            rows[key] = counts = new Counts();
        }

        return counts;
    }

    /// <summary>Ladder steps (L0, L1, …) before escalations (E0, …), numerically.</summary>
    internal static (int, int, string) StageOrder(string stage) =>
        stage.Length > 1 && int.TryParse(stage.AsSpan(1), out var n) ? (stage[0] == 'L' ? 0 : 1, n, stage) : (2, 0, stage);

    private sealed class Counts
    {
        private readonly HashSet<string> _contacted = new(StringComparer.Ordinal);

        public int Sent { get; private set; }

        public int Delivered { get; set; }

        public int Tasks { get; private set; }

        public int Replied { get; set; }

        public int OptedOut { get; set; }

        public int Paid { get; set; }

        public void Add(string borrowerId, bool task)
        {
            if (task)
            {
                Tasks++;
            }
            else
            {
                Sent++;
            }

            _contacted.Add(borrowerId);
        }

        public FunnelRow ToRow(FunnelKey key) => new(key, Sent, Delivered, Tasks, _contacted.Count, Replied, OptedOut, Paid);
    }
}
