-- Orleans ADO.NET grain persistence (Microsoft.Orleans.Persistence.AdoNet 10.4.2) on PostgreSQL.
--
-- Identity of a state record: service id, grain_type (the provider's GrainTypeString), the two numeric key parts
-- and the key extension. The provider itself passes only the *state name* as GrainTypeString, which would let two
-- grain classes with the same key and state name share a row; CreditGrid registers its grain storage through
-- GrainTypeScopedGrainStorage, which puts the Orleans grain type in front of the state name, so grain_type here is
-- "<grain type>|<state name>" and different grain types never meet in one row.
--
-- String-keyed grains send their whole key as the extension with both numeric parts 0, so the extension is part of
-- the lookup. It is stored NOT NULL with a separate has_extension flag: "no extension" (NULL) and "" stay distinct,
-- and the lookup remains plain equality, which the unique index can serve (IS NOT DISTINCT FROM cannot use it).
--
-- The unique constraint is what makes concurrent first writes safe: of two activations racing to insert, exactly
-- one row survives and the loser gets a version conflict, instead of the duplicate rows a "not exists" check allows.
-- It is also the lookup path, so no separate index on the provider's hashes is kept; the hashes are stored only
-- for diagnostics.
CREATE TABLE orleans_storage (
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    has_extension   boolean     NOT NULL,
    grain_id_extension text     NOT NULL,
    grain_id_hash   integer     NOT NULL,
    grain_type_hash integer     NOT NULL,
    -- Opaque serializer output. bytea, not jsonb: jsonb reorders keys and drops duplicates, and the provider reads
    -- this column back as byte[]. NULL marks a cleared record that keeps its version.
    payload         bytea,
    version         integer     NOT NULL,
    modified_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_storage_identity
        UNIQUE (service_id, grain_type, grain_id_n0, grain_id_n1, has_extension, grain_id_extension)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Zero or one row; a cleared record returns a NULL payload with its version so the next write can continue it.
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_storage
WHERE service_id = @ServiceId
  AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND has_extension = (@GrainIdExtensionString IS NOT NULL)
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
$q$),

-- Exactly one row. A NULL expected version is a first write: insert version 1 unless the record exists (also a
-- cleared one). Otherwise update only the record at the expected version. Anything that matched nothing yields
-- NULL, which the provider reports as InconsistentStateException.
('WriteToStorageKey', $q$
WITH inserted AS (
    INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, has_extension,
                                 grain_id_extension, grain_id_hash, grain_type_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString IS NOT NULL,
           coalesce(@GrainIdExtensionString, ''), @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_storage_identity DO NOTHING
    RETURNING version
), updated AS (
    UPDATE orleans_storage
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId
      AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0
      AND grain_id_n1 = @GrainIdN1
      AND has_extension = (@GrainIdExtensionString IS NOT NULL)
      AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM inserted UNION ALL SELECT version FROM updated LIMIT 1) AS "NewGrainStateVersion"
$q$),

-- Clear keeps the row (payload NULL) and moves the version on, so a stale activation cannot write over a clear.
('ClearStorageKey', $q$
UPDATE orleans_storage
SET payload = NULL, version = version + 1, modified_at = now()
WHERE service_id = @ServiceId
  AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND has_extension = (@GrainIdExtensionString IS NOT NULL)
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version
$q$),

-- Used when DeleteStateOnClear is set; the returned value only has to differ from the old version.
('DeleteStorageKey', $q$
DELETE FROM orleans_storage
WHERE service_id = @ServiceId
  AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND has_extension = (@GrainIdExtensionString IS NOT NULL)
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version + 1
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
