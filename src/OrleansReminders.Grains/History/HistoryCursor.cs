using System.Collections.Immutable;
using System.Globalization;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Grains.History;

/// <summary>
/// Keyset paging over (occurred_at, event_id): the cursor names the last event of a page, so pages stay
/// stable while new events arrive. Format: <c>{unix microseconds}_{event id}</c>.
/// </summary>
public static class HistoryCursor
{
    public static string For(ContactEvent last) =>
        string.Create(CultureInfo.InvariantCulture, $"{ToMicros(last.OccurredAt)}_{last.EventId:N}");

    /// <summary>Parses a cursor; null for none. Throws <see cref="FormatException"/> for a malformed one.</summary>
    public static (long Micros, Guid EventId)? Parse(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        var parts = cursor.Split('_');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            throw new FormatException("cursor: not a cursor returned by a previous page");
        }

        return (micros, id);
    }

    public static bool IsAfter(ContactEvent e, (long Micros, Guid EventId) cursor)
    {
        var micros = ToMicros(e.OccurredAt);
        return micros > cursor.Micros || (micros == cursor.Micros && e.EventId.CompareTo(cursor.EventId) > 0);
    }

    /// <summary>Builds a page from up to <paramref name="limit"/> + 1 rows (the extra row says there is more).</summary>
    public static ContactEventPage ToPage(IReadOnlyList<ContactEvent> rows, int limit)
    {
        var events = rows.Take(limit).ToImmutableArray();
        var next = rows.Count > limit ? For(events[^1]) : null;
        return new ContactEventPage(events, next);
    }

    internal static long ToMicros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
