-- OrleansReminders schema, part 110: byte-order collation for identifier columns.
--
-- Grain ids, borrower ids, service ids, grain types and reminder names are opaque identifiers: nothing
-- sorts them for people. Under a linguistic collation (the database default, often en_US.UTF-8 or
-- C.UTF-8) every index comparison on them goes through the C library's collation; COLLATE "C" compares
-- bytes. Every state write, reminder upsert and history insert walks these indexes, so this is database
-- CPU on every step (tests/BENCHMARKS.md). Equality and uniqueness are unchanged for these ASCII keys.
--
-- The tables are created by the earlier scripts; this converts each listed column that is not "C"
-- yet (its indexes are rebuilt once) and leaves it alone on every later run.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS column_type
          FROM (VALUES ('orleans_storage', 'service_id'), ('orleans_storage', 'grain_type'),
                       ('orleans_storage', 'grain_id_ext'),
                       ('orleans_reminders', 'service_id'), ('orleans_reminders', 'grain_id'),
                       ('orleans_reminders', 'reminder_name'),
                       ('contact_events', 'borrower_id')) AS k (table_name, column_name)
          JOIN pg_class c ON c.relname = k.table_name AND c.relnamespace = current_schema()::regnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = k.column_name
          LEFT JOIN pg_collation coll ON coll.oid = a.attcollation
         WHERE coll.collname IS DISTINCT FROM 'C'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE %s COLLATE "C"', col.table_name, col.column_name, col.column_type);
    END LOOP;
END
$$;
