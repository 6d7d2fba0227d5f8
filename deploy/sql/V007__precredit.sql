-- Pre-credit (秦信融 联合预授信): the audit of every decision handed to a bank, the loan outcomes the banks report
-- back, and the enterprises registered on the platform.
--
-- * precredit_decisions keeps the searchable keys (bank, enterprise, time, outcome, model version) as columns and
--   the whole decision — features, model and rules versions, PD, limit, band, reasons, challenger output — as one
--   JSON document, the same document GET /api/v1/precredit/{id} returns. Decisions are never updated or deleted:
--   the table is an audit log.
-- * precredit_outcomes is append-only too: a loan moves granted → repaid/overdue/defaulted, and each report is kept;
--   the latest report per decision is the loan's state.
-- * precredit_registrations counts enterprises that authorised at least one bank.

CREATE TABLE precredit_decisions (
    id            uuid        PRIMARY KEY,
    bank          text        NOT NULL,
    enterprise    text        NOT NULL,
    decided_at    timestamptz NOT NULL,
    outcome       text        NOT NULL,
    model_version text        NOT NULL,
    document      jsonb       NOT NULL
);

-- A bank's decisions over time, and an enterprise's.
CREATE INDEX precredit_decisions_bank ON precredit_decisions (bank, decided_at);
CREATE INDEX precredit_decisions_enterprise ON precredit_decisions (enterprise, decided_at);

CREATE TABLE precredit_outcomes (
    decision_id uuid          NOT NULL REFERENCES precredit_decisions (id),
    seq         bigint        GENERATED ALWAYS AS IDENTITY,
    reported_at timestamptz   NOT NULL,
    status      text          NOT NULL CHECK (status IN ('granted', 'repaid', 'overdue', 'defaulted')),
    amount      numeric(18,2) CHECK (amount >= 0),
    PRIMARY KEY (decision_id, seq)
);

CREATE TABLE precredit_registrations (
    enterprise    text        PRIMARY KEY,
    registered_at timestamptz NOT NULL
);
