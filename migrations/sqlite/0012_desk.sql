-- The intervention desk: city units, the service catalogue (problem types with their extra questions), residents'
-- reports with their photos and answers, each report's history of state changes, and which officials work for
-- which unit. The catalogue is seeded from migrations/seed/ at start-up (only rows not there yet).
-- Also: the `dispatcher` role, and consent events that belong to a report's contact rather than a panel member.

CREATE TABLE desk_units (
    code    TEXT PRIMARY KEY,
    name_pl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_uk TEXT NOT NULL
);

CREATE TABLE desk_services (
    code        TEXT    PRIMARY KEY,
    unit        TEXT    NOT NULL REFERENCES desk_units (code),
    target_days INTEGER NOT NULL CHECK (target_days >= 0),
    name_pl     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    name_uk     TEXT    NOT NULL,
    hint_pl     TEXT    NOT NULL,
    hint_en     TEXT    NOT NULL,
    hint_uk     TEXT    NOT NULL,
    keywords_pl TEXT    NOT NULL,
    keywords_en TEXT    NOT NULL,
    keywords_uk TEXT    NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE desk_attributes (
    service_code TEXT    NOT NULL REFERENCES desk_services (code),
    code         TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('boolean', 'string', 'number')),
    required     BOOLEAN NOT NULL,
    label_pl     TEXT    NOT NULL,
    label_en     TEXT    NOT NULL,
    label_uk     TEXT    NOT NULL,
    PRIMARY KEY (service_code, code)
);

-- contact_value: an email (lower-cased) or a phone in E.164, given only to hear back about this report.
-- token: Open311's handle for a report before it has an id; not a secret.
CREATE TABLE desk_reports (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    service_code     TEXT    NOT NULL REFERENCES desk_services (code),
    unit             TEXT    NOT NULL REFERENCES desk_units (code),
    state            TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'resolved', 'rejected', 'transferred')),
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
    updated_at       TEXT    NOT NULL
);
CREATE INDEX desk_reports_fingerprint ON desk_reports (fingerprint, created_at);
CREATE INDEX desk_reports_unit_state ON desk_reports (unit, state);
CREATE INDEX desk_reports_created ON desk_reports (created_at);

CREATE TABLE desk_report_attributes (
    report_id INTEGER NOT NULL REFERENCES desk_reports (id),
    code      TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    PRIMARY KEY (report_id, code)
);

-- Photos re-encoded as JPEG without metadata.
CREATE TABLE desk_photos (
    report_id INTEGER NOT NULL REFERENCES desk_reports (id),
    n         INTEGER NOT NULL CHECK (n BETWEEN 1 AND 3),
    jpeg      BLOB    NOT NULL,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    PRIMARY KEY (report_id, n)
);

-- Every state change: the first row is the filing itself (from_state NULL, no official).
CREATE TABLE desk_report_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id     INTEGER NOT NULL REFERENCES desk_reports (id),
    at            TEXT    NOT NULL,
    official_id   INTEGER REFERENCES officials (id),
    from_state    TEXT,
    to_state      TEXT    NOT NULL,
    unit          TEXT    NOT NULL REFERENCES desk_units (code),
    public_note   TEXT    NOT NULL DEFAULT '',
    internal_note TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX desk_report_events_report ON desk_report_events (report_id, id);

CREATE TABLE desk_unit_staff (
    official_id INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    unit        TEXT    NOT NULL REFERENCES desk_units (code),
    PRIMARY KEY (official_id, unit)
);

-- The dispatcher role (SQLite cannot change a CHECK in place: the table is rebuilt).
CREATE TABLE official_roles_new (
    official_id INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'approver', 'analyst', 'dispatcher')),
    PRIMARY KEY (official_id, role)
);
INSERT INTO official_roles_new (official_id, role) SELECT official_id, role FROM official_roles;
DROP TABLE official_roles;
ALTER TABLE official_roles_new RENAME TO official_roles;

-- The consent ledger also holds a report's `report_updates` consent: such an event names the report, not a
-- resident (rebuilt the same way; the append-only triggers come back with it).
CREATE TABLE consent_events_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id    INTEGER REFERENCES residents (id),
    report_id      INTEGER REFERENCES desk_reports (id),
    purpose        TEXT    NOT NULL,
    channel        TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    granted        BOOLEAN NOT NULL,
    notice_version INTEGER NOT NULL REFERENCES consent_notices (version),
    at             TEXT    NOT NULL,
    method         TEXT    NOT NULL CHECK (method IN ('web', 'api', 'import', 'unsubscribe', 'admin')),
    legal_basis    TEXT,
    CHECK (resident_id IS NOT NULL OR report_id IS NOT NULL)
);
INSERT INTO consent_events_new (id, resident_id, purpose, channel, granted, notice_version, at, method, legal_basis)
    SELECT id, resident_id, purpose, channel, granted, notice_version, at, method, legal_basis FROM consent_events;
DROP TABLE consent_events;
ALTER TABLE consent_events_new RENAME TO consent_events;
CREATE INDEX consent_events_resident ON consent_events (resident_id, id);
CREATE INDEX consent_events_report ON consent_events (report_id);
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'consent_events is append-only');
END;
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'consent_events is append-only');
END;
