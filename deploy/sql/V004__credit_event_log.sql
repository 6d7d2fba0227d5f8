-- The credit-event log: the system of record for accepted credit records, sized for about 10^9 rows.
--
-- Layout
-- * credit_events is LIST-partitioned on its log partition (the ICreditLogPartitioner partition, which is also the
--   stream queue). The hot read path, the stream reader, scans (partition, pos) ranges and is pruned to one child
--   table and its primary-key index. One log partition is exactly one child table, so there is no hash skew, vacuum
--   and index maintenance happen per child, and a child can be detached or archived on its own. RANGE on pos was
--   rejected because pos is dense per log partition, not global, so a range would mix every partition; HASH on the
--   partition number spreads small integers unevenly over the children.
--   Subject reads (grain activation replay) do not name a partition: the partitioner needs the subject type, which
--   a reader by subject id does not have. They probe the small (subject_id, subject_seq) index of every child and
--   merge the results, a few dozen index probes per read, and stay correct even if one subject id ever arrives
--   under two subject types (and so in two partitions).
--   Children exist for partitions 0..63 (the configured count is 16, at most 1024); any partition above that lands
--   in the DEFAULT child, which keeps working. Before raising the count past 64 add children in a migration.
-- * A unique index on a partitioned table must contain the partition key, so the idempotency key
--   (source_department, record_id) cannot be enforced on credit_events. It lives in credit_event_keys, which is
--   HASH-partitioned on that same key (a key that contains the partition key is allowed to be unique), keeping each
--   child's index at a size that stays cache-friendly. It also carries the subject sequence a duplicate reports.
-- * credit_log_partitions holds one counter row per log partition (last position handed out). Appenders lock the
--   rows they touch FOR UPDATE in ascending order, which serialises appends per partition without deadlocks and
--   makes positions commit in order, so readers never see a later position before an earlier one.
-- * subject_sequences holds each subject's last sequence number. The upsert that advances it holds the row lock until
--   commit, so a subject's sequence numbers commit in order and without holes.
-- * stream_checkpoints records how far each stream provider has delivered each partition.

CREATE TABLE credit_events (
    partition         integer     NOT NULL,
    pos               bigint      NOT NULL,
    subject_id        text        NOT NULL,
    subject_seq       bigint      NOT NULL,
    subject_type      text        NOT NULL,
    source_department text        NOT NULL,
    record_id         text        NOT NULL,
    event_type        text        NOT NULL,
    decision_date     date        NOT NULL,
    received_at       timestamptz NOT NULL,
    appended_at       timestamptz NOT NULL DEFAULT now(),
    -- The whole record in the project's JSON contract (CreditJson). jsonb is fine here because that contract reads
    -- the polymorphic discriminator from any position, and jsonb makes the payload queryable for audits.
    payload           jsonb       NOT NULL,
    PRIMARY KEY (partition, pos)
) PARTITION BY LIST (partition);

-- Subject history, in order (one local index per child).
CREATE INDEX credit_events_subject ON credit_events (subject_id, subject_seq);

DO $ddl$
BEGIN
    FOR p IN 0..63 LOOP
        EXECUTE format('CREATE TABLE credit_events_p%s PARTITION OF credit_events FOR VALUES IN (%s)', p, p);
    END LOOP;
END
$ddl$;

CREATE TABLE credit_events_default PARTITION OF credit_events DEFAULT;

CREATE TABLE credit_event_keys (
    source_department text    NOT NULL,
    record_id         text    NOT NULL,
    subject_id        text    NOT NULL,
    subject_seq       bigint  NOT NULL,
    partition         integer NOT NULL,
    pos               bigint  NOT NULL,
    PRIMARY KEY (source_department, record_id)
) PARTITION BY HASH (source_department, record_id);

DO $ddl$
BEGIN
    FOR r IN 0..15 LOOP
        EXECUTE format('CREATE TABLE credit_event_keys_h%s PARTITION OF credit_event_keys FOR VALUES WITH (MODULUS 16, REMAINDER %s)', r, r);
    END LOOP;
END
$ddl$;

CREATE TABLE credit_log_partitions (
    partition integer PRIMARY KEY,
    last_pos  bigint  NOT NULL DEFAULT 0 CHECK (last_pos >= 0)
);

CREATE TABLE subject_sequences (
    subject_id text   PRIMARY KEY,
    last_seq   bigint NOT NULL CHECK (last_seq >= 0)
);

CREATE TABLE stream_checkpoints (
    provider   text        NOT NULL,
    partition  integer     NOT NULL,
    pos        bigint      NOT NULL CHECK (pos >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, partition)
);
