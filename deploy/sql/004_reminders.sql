-- OrleansReminders schema, part 4: the reminder table for Microsoft.Orleans.Reminders.AdoNet.
--
-- Contract (from the provider's source): rows are keyed by (@ServiceId, @GrainId, @ReminderName);
-- @GrainHash is the grain's uniform hash cast to a signed int. A silo owning the ring range
-- (@BeginHash, @EndHash] reads it with ReadRangeRows1Key when (int)begin < (int)end and with
-- ReadRangeRows2Key (the range wraps around) otherwise. @Period arrives in milliseconds and is read
-- back with GetInt64. Upsert returns the new "Version" (the ETag); delete returns one boolean and only
-- deletes the version the caller holds.

CREATE TABLE IF NOT EXISTS orleans_reminders
(
    service_id    varchar(150) NOT NULL,
    grain_id      varchar(150) NOT NULL,
    reminder_name varchar(150) NOT NULL,
    start_time    timestamptz  NOT NULL,
    period        bigint       NOT NULL,
    grain_hash    integer      NOT NULL,
    version       integer      NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Every silo re-reads its whole hash range on each refresh: serve that from an index, not a scan.
CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

ALTER TABLE orleans_reminders SET (fillfactor = 80);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadReminderRowsKey', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId;
$q$),
('ReadReminderRowKey', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$q$),
('ReadRangeRows1Key', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$q$),
('ReadRangeRows2Key', $q$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$q$),
('UpsertReminderRowKey', $q$
    INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
       SET start_time = EXCLUDED.start_time, period = EXCLUDED.period,
           grain_hash = EXCLUDED.grain_hash, version = r.version + 1
    RETURNING version AS "Version";
$q$),
('DeleteReminderRowKey', $q$
    WITH del AS (
        DELETE FROM orleans_reminders
         WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
           AND version = @Version
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM del);
$q$),
('DeleteReminderRowsKey', $q$
    DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
