-- Hearing back about a report: who is told (the reporter's contact and every follower's), in the language they
-- chose, once confirmed; "is it fixed?" a week after resolving; contacts erased 30 days after a report closes.

-- role: 'reporter' (the contact given with the report, or a signed-in member's own channel) or 'follower'.
-- value: an email (lower-cased) or a phone in E.164; NULL once erased. resident_id: set when a panel member chose
-- their own verified channel (their export and erasure include it).
-- secret_hash / secret_expires_at / secret_attempts: the pending confirmation (a link by email, a code by SMS).
-- stopped_at: the contact asked for no more updates (also recorded in the ledger as a withdrawn consent).
CREATE TABLE desk_contacts (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id         BIGINT  NOT NULL REFERENCES desk_reports (id),
    role              TEXT    NOT NULL CHECK (role IN ('reporter', 'follower')),
    kind              TEXT    NOT NULL CHECK (kind IN ('email', 'phone')),
    value             TEXT,
    lang              TEXT    NOT NULL CHECK (lang IN ('pl', 'en', 'uk')),
    resident_id       BIGINT  REFERENCES residents (id),
    confirmed_at      TIMESTAMPTZ,
    secret_hash       TEXT,
    secret_expires_at TIMESTAMPTZ,
    secret_attempts   BIGINT  NOT NULL DEFAULT 0,
    stopped_at        TIMESTAMPTZ,
    erased_at         TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX desk_contacts_report ON desk_contacts (report_id);
CREATE INDEX desk_contacts_resident ON desk_contacts (resident_id);
CREATE INDEX desk_contacts_secret ON desk_contacts (secret_hash);

-- reopened: "is it fixed? no" sent it back to its unit (flagged in the worklist until it is resolved again).
-- fixed_asked_at / fixed_answer: the question a week after `resolved`, and the reporter's answer.
ALTER TABLE desk_reports ADD COLUMN reopened BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE desk_reports ADD COLUMN fixed_asked_at TIMESTAMPTZ;
ALTER TABLE desk_reports ADD COLUMN fixed_answer TEXT CHECK (fixed_answer IN ('yes', 'partly', 'no'));

-- The duplicate check's lock: filing first claims the row of its fingerprint, so two identical reports sent at
-- the same moment are filed one after the other and the second finds the first (PostgreSQL's READ COMMITTED would
-- otherwise let both see nothing and both insert). Rows older than the duplicate window are pruned.
CREATE TABLE desk_filing_locks (
    fingerprint TEXT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL
);
