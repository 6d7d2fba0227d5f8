-- A reader of the credit-event log that has gone quiet hears of the partition's next append when it commits, instead
-- of finding it on its next scheduled read: a reader spaces out its reads of a partition that has had no records for
-- a while (up to CreditGrid:Stream:IdlePollInterval), so without a notice the first record after a quiet spell waited
-- up to that long before it was even read.
--
-- * A reader that starts spacing out its reads sets reader_waiting on its partition's counter row and reads last_pos in
--   the same statement. The statement waits for an append holding the row's lock, so a record is either at or below
--   the last_pos the reader sees (it reads it at its next poll) or appended after the flag was set (and announced).
-- * The append's counter update, in the same transaction as the records, fires the row trigger below: when the flag
--   was set and last_pos moved, the trigger clears the flag and notifies the channel credit_log_appended with the
--   partition number ('7'). A trigger rather than a statement in the append, so every writer announces, whichever
--   version appends.
-- * Only the first append after a quiet spell notifies. NOTIFY serialises the commits of notifying transactions
--   (PostgreSQL takes a database-wide lock to order them in its queue, held through the commit's WAL flush), which
--   halved the commit rate of 16 concurrent single-partition transactions when every append notified; a partition
--   being appended to steadily has an awake reader and never notifies.
-- * NOTIFY is transactional: a listener hears of an append only once it has committed, never of one rolled back.
-- * A hint, not a delivery: readers still read on their own schedule, so a notice missed (no listener connected, a
--   listener reconnecting) delays a record by at most that schedule and loses nothing.
ALTER TABLE credit_log_partitions ADD COLUMN reader_waiting boolean NOT NULL DEFAULT false;

CREATE FUNCTION credit_log_wake_reader() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.reader_waiting := false;
    PERFORM pg_notify('credit_log_appended', NEW.partition::text);
    RETURN NEW;
END
$$;

-- The condition is the trigger's WHEN clause, evaluated by the executor, so an append to a partition whose reader is
-- awake (the steady state) never enters PL/pgSQL.
CREATE TRIGGER credit_log_partitions_wake_reader
    BEFORE UPDATE ON credit_log_partitions
    FOR EACH ROW
    WHEN (OLD.reader_waiting AND NEW.last_pos <> OLD.last_pos)
    EXECUTE FUNCTION credit_log_wake_reader();
