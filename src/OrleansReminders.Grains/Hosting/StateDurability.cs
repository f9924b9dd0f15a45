namespace OrleansReminders.Grains.Hosting;

/// <summary>Whether grain state outlives the silo (PostgreSQL) or dies with it (the embedded in-memory default).</summary>
public sealed record StateDurability(bool SurvivesRestart);
