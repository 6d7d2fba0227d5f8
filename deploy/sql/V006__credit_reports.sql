-- Issued special credit reports (专用信用报告), so that anyone holding one can confirm it is genuine and unaltered.
--
-- * One row per issued report, written once and never updated. The verification code printed on the report is the
--   key (16 random Crockford base-32 characters in four groups, about 80 bits), so guessing a valid code is hopeless
--   and the public lookup by code needs no other index.
-- * content_sha256 is the hash of the report's canonical content, printed on the report itself; document_sha256 is
--   the hash of the PDF bytes as issued (a document cannot contain its own hash), compared when a holder submits the
--   PDF. Both are lower-case hex.
-- * Neither the PDF nor its body is stored: the holder has the document, and the hashes are what verification needs.
-- * (subject_id, issued_at) serves "reports issued about this subject", newest first, for audits.

CREATE TABLE credit_reports (
    code            text        PRIMARY KEY,
    subject_id      text        NOT NULL,
    subject_name    text,
    subject_type    text        NOT NULL,
    period_from     date        NOT NULL,
    period_to       date        NOT NULL,
    issued_at       timestamptz NOT NULL,
    grade           text        NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
    score           integer     NOT NULL CHECK (score BETWEEN 0 AND 1000),
    rules_version   text        NOT NULL,
    content_sha256  text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    document_sha256 text        NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    CHECK (period_from <= period_to)
);

CREATE INDEX credit_reports_subject ON credit_reports (subject_id, issued_at DESC);
