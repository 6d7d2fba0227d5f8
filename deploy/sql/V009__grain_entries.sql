-- Grain state kept entry by entry: the city aggregates (one summary per subject counted in a unit) and the subject-name
-- directory shards (one name per subject). Each holds one entry per subject of its unit, so writing the grain's whole
-- state behind every few seconds, as Orleans grain storage does, cost a write of every entry for every change: at
-- 20,000 subjects that was as many serialised entries as ingested records, and it grows with the province.
--
-- * owner is '<grain type>/<grain key>' (e.g. 'city/610100', 'name-directory/6101'), so two grain types that share a
--   key never share rows. The primary key (owner, entry_key) serves both the upsert and the activation's read.
-- * value is the entry as UTF-8 JSON (System.Text.Json, no CLR type names); bytea rather than jsonb because nothing
--   queries inside it and the write path should not pay for parsing. convert_from(value, 'UTF8') shows it.
-- * fillfactor 70 leaves room on each page, so replacing an entry's value is a heap-only update: no new index entry,
--   less WAL and less for vacuum, since entries are rewritten many times while their subjects change.
-- * Entries are upserted in batches of the entries changed since the last write and never deleted: a subject keeps
--   its place in its units (a new summary replaces the old one).
--
-- Rows the previous version wrote for these grains in orleans_storage are not carried over: both are derived from the
-- subjects, which report their summary and name again when they next change or activate.
CREATE TABLE grain_entries (
    owner     text  NOT NULL,
    entry_key text  NOT NULL,
    value     bytea NOT NULL,
    PRIMARY KEY (owner, entry_key)
) WITH (fillfactor = 70);
