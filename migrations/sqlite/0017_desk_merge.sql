-- no-transaction
-- Merging duplicates: a report handled together with another one is closed in the new state 'merged', and names the
-- report it was merged into (merged_into). SQLite cannot change a CHECK constraint in place, so desk_reports is
-- rebuilt (SQLite's documented twelve-step procedure: foreign keys off, a new table, copy, drop, rename, indexes,
-- check, commit). Every column of desk_reports up to 0015 is listed: a later migration that adds one must be applied
-- before this rebuild or add it to the list.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE desk_reports_next (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    service_code     TEXT    NOT NULL REFERENCES desk_services (code),
    unit             TEXT    NOT NULL REFERENCES desk_units (code),
    state            TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'resolved', 'rejected', 'transferred', 'merged')),
    description      TEXT    NOT NULL,
    lat              REAL    NOT NULL,
    lon              REAL    NOT NULL,
    address          TEXT,
    public           BOOLEAN NOT NULL,
    lang             TEXT    NOT NULL CHECK (lang IN ('pl', 'en', 'uk')),
    contact_kind     TEXT    CHECK (contact_kind IN ('email', 'phone')),
    contact_value    TEXT,
    token            TEXT    NOT NULL UNIQUE,
    fingerprint      TEXT    NOT NULL,
    due_on           TEXT    NOT NULL,
    photos           INTEGER NOT NULL DEFAULT 0,
    published        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    reopened         BOOLEAN NOT NULL DEFAULT FALSE,
    fixed_asked_at   TEXT,
    fixed_answer     TEXT    CHECK (fixed_answer IN ('yes', 'partly', 'no')),
    district         INTEGER,
    merged_into      INTEGER REFERENCES desk_reports (id),
    CHECK ((state = 'merged') = (merged_into IS NOT NULL))
);
INSERT INTO desk_reports_next (id, service_code, unit, state, description, lat, lon, address, public, lang,
    contact_kind, contact_value, token, fingerprint, due_on, photos, published, created_at, updated_at, reopened,
    fixed_asked_at, fixed_answer, district)
SELECT id, service_code, unit, state, description, lat, lon, address, public, lang, contact_kind, contact_value,
    token, fingerprint, due_on, photos, published, created_at, updated_at, reopened, fixed_asked_at, fixed_answer,
    district
FROM desk_reports;
DROP TABLE desk_reports;
ALTER TABLE desk_reports_next RENAME TO desk_reports;
CREATE INDEX desk_reports_fingerprint ON desk_reports (fingerprint, created_at);
CREATE INDEX desk_reports_unit_state ON desk_reports (unit, state);
CREATE INDEX desk_reports_created ON desk_reports (created_at);
CREATE INDEX desk_reports_district ON desk_reports (district);
CREATE INDEX desk_reports_service ON desk_reports (service_code, state);
CREATE INDEX desk_reports_state_created ON desk_reports (state, created_at);
CREATE INDEX desk_reports_merged_into ON desk_reports (merged_into);
COMMIT;
PRAGMA foreign_keys = ON;
