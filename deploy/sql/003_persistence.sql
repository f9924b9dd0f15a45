-- OrleansReminders schema, part 3: grain state for Microsoft.Orleans.Persistence.AdoNet.
--
-- Contract (from the provider's source): the provider passes the grain's identity as
-- @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString (string keys such as a
-- borrower id arrive in the extension) plus two hashes (@GrainTypeHash, @GrainIdHash), and the ETag
-- it holds as @GrainStateVersion (NULL for a grain that has never written).
--   read  -> zero or one row with "PayloadBinary" and "Version"
--   write -> exactly one row: "NewGrainStateVersion", NULL when the ETag did not match (a conflict)
--   clear -> exactly one row: the new version, NULL on conflict (payload set to NULL, row kept)
--   delete-> exactly one row: the deleted version + 1, NULL on conflict
-- The identity itself is the primary key, so a hash collision can never mix two grains' state; the
-- hashes are kept as columns for partitioning and diagnostics.

CREATE TABLE IF NOT EXISTS orleans_storage
(
    service_id        varchar(150) NOT NULL,
    grain_type        varchar(512) NOT NULL,
    grain_id_n0       bigint       NOT NULL,
    grain_id_n1       bigint       NOT NULL,
    grain_id_ext      varchar(512) NOT NULL,
    grain_type_hash   integer      NOT NULL,
    grain_id_hash     integer      NOT NULL,
    payload           bytea,
    version           integer      NOT NULL,
    modified_on       timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id_ext, grain_id_n0, grain_id_n1)
);

-- State rows are updated in place on every step; leave room on each page for HOT updates.
ALTER TABLE orleans_storage SET (fillfactor = 80);

-- Keep the (compressed) state inside the row instead of the TOAST table: a borrower's state is written
-- on every step, and an out-of-line value costs a TOAST insert, a TOAST index entry and dead TOAST rows
-- on each write. MAIN still compresses above ~2 KB and moves a value out of line only when the row
-- could not fit in a page at all. Inline rows also keep updates HOT (fillfactor above).
ALTER TABLE orleans_storage ALTER COLUMN payload SET STORAGE MAIN;

-- A borrower's state is several KB of JSON, written on every step: above ~2 KB PostgreSQL compresses it,
-- and its default pglz costs far more database CPU per write than lz4 (tests/BENCHMARKS.md). Use lz4 when
-- this server was built with it (PostgreSQL 14+ usually is); otherwise keep the default.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE orleans_storage ALTER COLUMN payload SET COMPRESSION lz4;
    END IF;
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
    SELECT payload AS "PayloadBinary", version AS "Version"
      FROM orleans_storage
     WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND @GrainTypeHash IS NOT NULL AND @GrainIdHash IS NOT NULL;
$q$),
('WriteToStorageKey', $q$
    WITH upd AS (
        UPDATE orleans_storage
           SET payload = @PayloadBinary, version = version + 1, modified_on = now()
         WHERE @GrainStateVersion IS NOT NULL
           AND service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND version = @GrainStateVersion
        RETURNING version),
    ins AS (
        INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext,
                                     grain_type_hash, grain_id_hash, payload, version)
        SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''),
               @GrainTypeHash, @GrainIdHash, @PayloadBinary, 1
         WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version)
    SELECT coalesce((SELECT version FROM upd), (SELECT version FROM ins)) AS "NewGrainStateVersion";
$q$),
('ClearStorageKey', $q$
    WITH upd AS (
        UPDATE orleans_storage
           SET payload = NULL, version = version + 1, modified_on = now()
         WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND version = @GrainStateVersion
           AND @GrainTypeHash IS NOT NULL AND @GrainIdHash IS NOT NULL
        RETURNING version)
    SELECT (SELECT version FROM upd) AS "NewGrainStateVersion";
$q$),
('DeleteStorageKey', $q$
    WITH del AS (
        DELETE FROM orleans_storage
         WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND version = @GrainStateVersion
           AND @GrainTypeHash IS NOT NULL AND @GrainIdHash IS NOT NULL
        RETURNING version)
    SELECT (SELECT version + 1 FROM del) AS "NewGrainStateVersion";
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
