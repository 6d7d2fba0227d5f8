-- The audit log: who read or changed credit information, when, why and with what outcome (every credit read,
-- every decision, every change of rules or lists). Append-only and hash-chained; see PostgresAuditStore and
-- AuditChain for the chain format.
--
-- Layout
-- * One row per audited request. seq is dense over the whole table: every gateway process appends to one chain,
--   serialised per batch by a transaction-scoped advisory lock (the writer reads the last seq and hash inside that
--   transaction), so the primary key also refuses a forked chain.
-- * hash = SHA-256(hash of seq - 1 ‖ canonical bytes of this row). Every column but hash itself is covered by it,
--   so an edited value, a removed row or a reordered sequence is found by walking the chain.
-- * details is text, not jsonb: jsonb rewrites key order and spacing, and the chain hashes the stored bytes.
-- * Triggers refuse UPDATE, DELETE and TRUNCATE for every role, the owner included. Removing them takes a
--   deliberate ALTER TABLE … DISABLE TRIGGER, and whatever is changed then still breaks the chain.
-- * Indexes serve the audit query's filters, each with seq for the paging cursor (seq > after ORDER BY seq).

CREATE TABLE audit_log (
    seq            bigint      PRIMARY KEY CHECK (seq >= 1),
    recorded_at    timestamptz NOT NULL,
    who            text        NOT NULL,
    roles          text[]      NOT NULL,
    organisation   text,
    subject        text,
    purpose        text,
    action         text        NOT NULL,
    method         text        NOT NULL,
    route          text        NOT NULL,
    outcome        integer     NOT NULL,
    correlation_id text        NOT NULL,
    details        text,
    hash           bytea       NOT NULL CHECK (octet_length(hash) = 32)
);

CREATE INDEX audit_log_who ON audit_log (who, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq) WHERE subject IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_time ON audit_log (recorded_at);
CREATE INDEX audit_log_roles ON audit_log USING gin (roles);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', HINT = 'Audit records are never changed or removed.';
END
$fn$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
