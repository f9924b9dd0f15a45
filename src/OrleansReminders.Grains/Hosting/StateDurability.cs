namespace OrleansReminders.Grains.Hosting;

/// <summary>Whether grain state outlives the silo (PostgreSQL) or dies with it (the embedded in-memory default).</summary>
public sealed record StateDurability(bool SurvivesRestart)
{
    /// <summary>
    /// Whether work a grain does while deactivating for <paramref name="reason"/> (a last write, a
    /// hand-back) can outlive it: not when the silo shuts down and its state dies with it.
    /// </summary>
    public bool Outlives(DeactivationReason reason) => SurvivesRestart || reason.ReasonCode != DeactivationReasonCode.ShuttingDown;
}
