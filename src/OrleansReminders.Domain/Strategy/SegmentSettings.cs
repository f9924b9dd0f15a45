namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// How a payment segment bends a tier's ladder. Only overdue steps (offset &gt; 0) are stretched:
/// the effective offset is <c>ceil(offsetDays × overdueGapPercent / 100)</c>, so 150 turns D+3, D+7, D+14
/// into D+5, D+11, D+21. Pre-due and due-day steps are never moved.
/// </summary>
/// <param name="OverdueGapPercent">Scale of overdue offsets in percent (100 = unchanged; 50..400).</param>
/// <param name="ToneVariant">Tone variant handed to the template layer (e.g. <c>gentle</c>, <c>firm</c>); <c>null</c> = tier default.</param>
public sealed record SegmentSettings(int OverdueGapPercent = 100, string? ToneVariant = null)
{
    /// <summary>Settings that leave the ladder unchanged.</summary>
    public static SegmentSettings Neutral { get; } = new();

    /// <summary>Effective offset of a step for this segment.</summary>
    public int ScaleOffset(int offsetDays) =>
        offsetDays <= 0 ? offsetDays : (int)Math.Ceiling(offsetDays * OverdueGapPercent / 100.0);
}
