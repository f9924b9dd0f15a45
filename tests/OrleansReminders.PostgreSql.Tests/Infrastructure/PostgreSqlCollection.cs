namespace OrleansReminders.PostgreSql.Tests.Infrastructure;

/// <summary>
/// PostgreSQL tests run one after another: some re-apply the schema (DDL takes table locks) and the
/// silos compete for the same two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgreSqlCollection
{
    public const string Name = "PostgreSQL";
}
