namespace OrleansReminders.Domain.Reports;

/// <summary>One history event as the funnel reads it (kind, stage and data as the borrower grain records them).</summary>
public sealed record FunnelEvent(string BorrowerId, DateTimeOffset At, string Kind, string? Stage, IReadOnlyDictionary<string, string>? Data);

/// <summary>How report rows are grouped besides the tier.</summary>
public enum FunnelGrouping
{
    TierStageVariant,
    Hour,
    Weekday,
}

/// <summary>A funnel group: risk tier, ladder stage (L0…, E0…) and template variant.</summary>
public sealed record FunnelKey(string Tier, string Stage, string Variant);

/// <summary>
/// One group's funnel: messages sent and delivered, borrowers contacted (sent at least one message of
/// the group), and borrowers who replied, opted out or paid in full after one of them. Replies, opt-outs and
/// payments are credited to the borrower's last collection message before them (last touch);
/// <see cref="Conversion"/> is paid per borrower contacted.
/// </summary>
public sealed record FunnelRow(FunnelKey Key, int Sent, int Delivered, int Contacted, int Replied, int OptedOut, int Paid)
{
    public double Conversion => Contacted == 0 ? 0 : (double)Paid / Contacted;
}

/// <summary>
/// The collection funnel over borrowers' histories: per tier, stage and variant, how many collection
/// messages were sent and delivered, and how many borrowers replied, opted out or paid in full after one
/// of them. A message counts once however often it was retried; transactional messages do not count.
/// </summary>
public static class Funnel
{
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

    /// <summary>Distinct borrowers sent at least one collection message (a borrower counts once, whatever the groups).</summary>
    public static int ContactedBorrowers(IEnumerable<FunnelEvent> events) =>
        events.Where(e => e.Kind == "message.queued" && e.Data?.ContainsKey("tier") == true)
            .Select(e => e.BorrowerId).Distinct(StringComparer.Ordinal).Count();

    /// <param name="events">Borrowers' events, any order.</param>
    /// <param name="regroup">
    /// Optional: the group a sent message counts in, from its (tier, stage, variant) and its send time —
    /// e.g. by hour of day or weekday; by default the (tier, stage, variant) itself.
    /// </param>
    public static IReadOnlyList<FunnelRow> Build(IEnumerable<FunnelEvent> events, Func<FunnelKey, DateTimeOffset, FunnelKey>? regroup = null)
    {
        var rows = new Dictionary<FunnelKey, int[]>();
        var contacted = new Dictionary<FunnelKey, HashSet<string>>();
        foreach (var borrower in events.GroupBy(e => e.BorrowerId, StringComparer.Ordinal))
        {
            var messages = new Dictionary<string, FunnelKey>(StringComparer.Ordinal);
            var sent = new HashSet<string>(StringComparer.Ordinal);
            var delivered = new HashSet<string>(StringComparer.Ordinal);
            FunnelKey? lastTouch = null;
            var repliedSinceTouch = false;
            var optedOutSinceTouch = false;
            var paid = false;
            foreach (var e in borrower.OrderBy(e => e.At))
            {
                var messageKey = e.Data?.GetValueOrDefault("messageKey");
                switch (e.Kind)
                {
                    case "message.queued" when messageKey is not null && e.Data!.TryGetValue("tier", out var tier):
                        var queued = new FunnelKey(tier, e.Stage ?? "?", e.Data.GetValueOrDefault("variant") ?? "default");
                        messages[messageKey] = regroup is null ? queued : regroup(queued, e.At);
                        break;
                    case "message.sent" when messageKey is not null && messages.TryGetValue(messageKey, out var key) && sent.Add(messageKey):
                        Count(rows, key)[0]++;
                        if (!contacted.TryGetValue(key, out var borrowers))
                        {
                            contacted[key] = borrowers = new HashSet<string>(StringComparer.Ordinal);
                        }

                        borrowers.Add(borrower.Key);
                        (lastTouch, repliedSinceTouch, optedOutSinceTouch) = (key, false, false);
                        break;
                    case "message.delivered" when messageKey is not null && messages.TryGetValue(messageKey, out var key) && delivered.Add(messageKey):
                        Count(rows, key)[1]++;
                        break;
                    case var kind when kind.StartsWith("reply.", StringComparison.Ordinal) && lastTouch is not null:
                        if (!repliedSinceTouch)
                        {
                            Count(rows, lastTouch)[2]++;
                            repliedSinceTouch = true;
                        }

                        if (kind == "reply.optout" && !optedOutSinceTouch)
                        {
                            Count(rows, lastTouch)[3]++;
                            optedOutSinceTouch = true;
                        }

                        break;
                    case "payment.full" when lastTouch is not null && !paid:
                        Count(rows, lastTouch)[4]++;
                        paid = true;
                        break;
                }
            }
        }

        return [.. rows.Select(r => new FunnelRow(r.Key, r.Value[0], r.Value[1], contacted.GetValueOrDefault(r.Key)?.Count ?? 0, r.Value[2], r.Value[3], r.Value[4]))
            .OrderBy(r => r.Key.Tier, StringComparer.Ordinal).ThenBy(r => StageOrder(r.Key.Stage)).ThenBy(r => r.Key.Variant, StringComparer.Ordinal)];
    }

    private static int[] Count(Dictionary<FunnelKey, int[]> rows, FunnelKey key)
    {
        if (!rows.TryGetValue(key, out var counts))
        {
            rows[key] = counts = new int[5];
        }

        return counts;
    }

    /// <summary>Ladder steps (L0, L1, …) before escalations (E0, …), numerically.</summary>
    private static (int, int, string) StageOrder(string stage) =>
        stage.Length > 1 && int.TryParse(stage.AsSpan(1), out var n) ? (stage[0] == 'L' ? 0 : 1, n, stage) : (2, 0, stage);
}
