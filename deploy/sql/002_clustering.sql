-- OrleansReminders schema, part 2: cluster membership for Microsoft.Orleans.Clustering.AdoNet.
--
-- Contract (from the provider's source): one version row per cluster (DeploymentId = ClusterId) that
-- every membership change bumps with optimistic concurrency; the provider passes the version it read
-- as @Version and expects a single boolean back. Reads must return at least one row carrying "Version"
-- even when no silo is registered (the version row joined to zero members).

CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id varchar(150) NOT NULL PRIMARY KEY,
    version       integer      NOT NULL DEFAULT 0,
    changed_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   varchar(150) NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       varchar(150) NOT NULL,
    host_name       varchar(150) NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer,
    suspect_times   text,
    start_time      timestamptz  NOT NULL,
    i_am_alive_time timestamptz  NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', $q$
    WITH ins AS (
        INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM ins);
$q$),
('MembershipReadAllKey', $q$
    SELECT v.version         AS "Version",
           m.address         AS "Address",
           m.port            AS "Port",
           m.generation      AS "Generation",
           m.silo_name       AS "SiloName",
           m.host_name       AS "HostName",
           m.status          AS "Status",
           m.proxy_port      AS "ProxyPort",
           m.suspect_times   AS "SuspectTimes",
           m.start_time      AS "StartTime",
           m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId;
$q$),
('MembershipReadRowKey', $q$
    SELECT v.version         AS "Version",
           m.address         AS "Address",
           m.port            AS "Port",
           m.generation      AS "Generation",
           m.silo_name       AS "SiloName",
           m.host_name       AS "HostName",
           m.status          AS "Status",
           m.proxy_port      AS "ProxyPort",
           m.suspect_times   AS "SuspectTimes",
           m.start_time      AS "StartTime",
           m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m
           ON m.deployment_id = v.deployment_id
          AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId;
$q$),
('InsertMembershipKey', $q$
    WITH bumped AS (
        UPDATE orleans_membership_version
           SET version = version + 1, changed_at = now()
         WHERE deployment_id = @DeploymentId AND version = @Version
           AND NOT EXISTS (SELECT 1 FROM orleans_membership
                            WHERE deployment_id = @DeploymentId AND address = @Address
                              AND port = @Port AND generation = @Generation)
        RETURNING deployment_id),
    ins AS (
        INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                                        status, proxy_port, start_time, i_am_alive_time)
        SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName,
               @Status, @ProxyPort, @StartTime, @IAmAliveTime
          FROM bumped
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM ins);
$q$),
('UpdateMembershipKey', $q$
    WITH bumped AS (
        UPDATE orleans_membership_version
           SET version = version + 1, changed_at = now()
         WHERE deployment_id = @DeploymentId AND version = @Version
        RETURNING deployment_id),
    upd AS (
        UPDATE orleans_membership m
           SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
          FROM bumped
         WHERE m.deployment_id = bumped.deployment_id
           AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM upd);
$q$),
('UpdateIAmAlivetimeKey', $q$
    UPDATE orleans_membership
       SET i_am_alive_time = @IAmAliveTime
     WHERE deployment_id = @DeploymentId
       AND address = @Address AND port = @Port AND generation = @Generation;
$q$),
('GatewaysQueryKey', $q$
    SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
      FROM orleans_membership
     WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$q$),
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleans_membership
     WHERE deployment_id = @DeploymentId
       AND status <> 3
       AND greatest(i_am_alive_time, start_time) < @IAmAliveTime;
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
