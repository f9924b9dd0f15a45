namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// Payment-behaviour segment of a borrower, orthogonal to the risk tier. It stretches the overdue gaps
/// and picks the tone variant (see <see cref="SegmentSettings"/>).
/// </summary>
public enum PaymentSegment
{
    /// <summary>No particular history: the tier's ladder as configured.</summary>
    Standard,

    /// <summary>History of paying on time: longer gaps between overdue steps, gentler tone.</summary>
    OnTime,

    /// <summary>Repeatedly delinquent: firmer tone (and, if configured, shorter gaps).</summary>
    RepeatDelinquent,
}
