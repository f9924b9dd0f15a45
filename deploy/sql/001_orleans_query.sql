-- OrleansReminders schema, part 1: the query table the Orleans ADO.NET providers read at start-up.
--
-- Every ADO.NET provider (clustering, grain storage, reminders) runs
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- and then executes the stored text for each operation, with named parameters such as @ServiceId.
-- The later scripts register their queries here. Re-running any script replaces the query text,
-- so a fixed query reaches every silo at its next start.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)  NOT NULL PRIMARY KEY,
    querytext text         NOT NULL
);

-- Our own bookkeeping: which script ran when (the scripts stay idempotent regardless).
CREATE TABLE IF NOT EXISTS schema_scripts
(
    script     text        NOT NULL PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
