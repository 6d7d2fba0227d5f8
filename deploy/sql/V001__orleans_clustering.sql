-- Orleans ADO.NET clustering (Microsoft.Orleans.Clustering.AdoNet 10.4.2) on PostgreSQL.
--
-- The provider only knows query keys; it reads their text from orleansquery, so the tables below are this
-- project's own design. Every timestamp is timestamptz because Npgsql binds DateTime parameters as timestamptz:
-- a plain timestamp column would be converted through the session time zone and read back shifted.

-- Shared by clustering, persistence and reminders. The providers query it with unquoted identifiers, which
-- PostgreSQL folds to lower case, so the table and its columns must be lower case. The primary key matters:
-- the providers load the rows into a dictionary and a duplicated key would abort silo start-up.
CREATE TABLE orleansquery (
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

-- One row per cluster (the provider's DeploymentId is ClusterOptions.ClusterId). Its version is the optimistic
-- concurrency token of the whole membership table: every insert or update of a member must present the version
-- it read and bumps it by exactly one.
CREATE TABLE orleans_membership_version (
    deployment_id text        PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    modified_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation. suspect_times is an opaque, possibly long list written by the runtime, hence text.
CREATE TABLE orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Query texts. Upserts, so a later migration can replace a text by re-running the same statement shape.
-- Result column aliases are quoted in the provider's spelling; Npgsql would also match them case-insensitively.
INSERT INTO orleansquery (querykey, querytext) VALUES

-- Called by every silo on start, possibly concurrently: the unique key makes "create if missing" race-free.
-- Always one row, one column: 1 when this call created the version row, 0 when it already existed.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM created
$q$),

-- A LEFT JOIN from the version row gives one snapshot of members and version, and still yields exactly one
-- all-NULL member row (with the version) when the cluster has no members; zero rows would crash the provider.
('MembershipReadAllKey', $q$
SELECT v.version        AS "Version",
       m.address        AS "Address",
       m.port           AS "Port",
       m.generation     AS "Generation",
       m.silo_name      AS "SiloName",
       m.host_name      AS "HostName",
       m.status         AS "Status",
       m.proxy_port     AS "ProxyPort",
       m.suspect_times  AS "SuspectTimes",
       m.start_time     AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- Same shape restricted to one silo; the member condition sits in the join so a missing silo still returns the
-- version row.
('MembershipReadRowKey', $q$
SELECT v.version        AS "Version",
       m.address        AS "Address",
       m.port           AS "Port",
       m.generation     AS "Generation",
       m.silo_name      AS "SiloName",
       m.host_name      AS "HostName",
       m.status         AS "Status",
       m.proxy_port     AS "ProxyPort",
       m.suspect_times  AS "SuspectTimes",
       m.start_time     AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Compare-and-swap on the table version. The version row is locked by the UPDATE, so a concurrent writer that
-- read the same version waits and then fails the re-checked version predicate. The member insert only happens
-- when the version step succeeded; ON CONFLICT turns a duplicate silo into 0 instead of an exception.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, modified_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId
            AND address = @Address
            AND port = @Port
            AND generation = @Generation)
    RETURNING deployment_id
), inserted AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, suspect_times, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM inserted
$q$),

-- Compare-and-swap like the insert; the row etag is not passed by the provider, only the table version counts.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, modified_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId
            AND address = @Address
            AND port = @Port
            AND generation = @Generation)
    RETURNING deployment_id
), updated AS (
    UPDATE orleans_membership m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped b
    WHERE m.deployment_id = b.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
    RETURNING 1
)
SELECT count(*)::integer FROM updated
$q$),

-- Heartbeat: deliberately leaves the table version alone, or every heartbeat would invalidate concurrent votes.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
$q$),

-- Silos without a gateway report proxy port 0; a client must never be told to dial it.
('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0
$q$),

-- Test-only reset: the cascade removes the members with the version row, so the next silo recreates version 0.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Defunct-silo cleanup only removes rows the cluster has already declared Dead (6): a stale row in any other
-- state still has to go through the membership protocol's vote, which this must not pre-empt.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
