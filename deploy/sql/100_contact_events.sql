-- OrleansReminders schema, part 5: the project's own append-only audit of every contact attempt and
-- every ops action. The event id is the primary key, so a replayed insert
-- (INSERT ... ON CONFLICT (event_id) DO NOTHING) is a no-op: the borrower grain retries until written.
-- Personal data stays out of this table except the borrower id; message text is stored as its
-- template reference and parameters are masked upstream.

CREATE TABLE IF NOT EXISTS contact_events
(
    event_id     uuid         NOT NULL PRIMARY KEY,
    borrower_id  varchar(64)  NOT NULL,
    occurred_at  timestamptz  NOT NULL,
    recorded_at  timestamptz  NOT NULL DEFAULT now(),
    kind         varchar(48)  NOT NULL,
    channel      varchar(16),
    stage        varchar(64),
    actor        varchar(128) NOT NULL,
    reason       text,
    data         jsonb        NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX IF NOT EXISTS ix_contact_events_borrower ON contact_events (borrower_id, occurred_at, event_id);

-- Reports read every borrower's events of a period. Rows arrive in (nearly) time order, so a BRIN index
-- finds a period's pages at almost no cost per insert; a B-tree here was a third index entry to write for
-- every event on the hot path. (Replaces the B-tree of earlier versions of this script.)
DROP INDEX IF EXISTS ix_contact_events_occurred_at;
CREATE INDEX IF NOT EXISTS ix_contact_events_occurred_brin ON contact_events USING brin (occurred_at);

-- Append-only: no UPDATE, no DELETE, not even by a bug in the service.
CREATE OR REPLACE FUNCTION contact_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    RAISE EXCEPTION 'contact_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$f$;

DROP TRIGGER IF EXISTS contact_events_no_change ON contact_events;
CREATE TRIGGER contact_events_no_change
    BEFORE UPDATE OR DELETE ON contact_events
    FOR EACH ROW EXECUTE FUNCTION contact_events_append_only();
