namespace OrleansReminders.Grains.Hosting;

/// <summary>The ADO.NET invariant name Orleans uses for Npgsql (Orleans' own constant class is internal).</summary>
public static class PostgreSqlInvariant
{
    public const string Name = "Npgsql";
}
