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
    target_days BIGINT  NOT NULL CHECK (target_days >= 0),
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
    position     BIGINT  NOT NULL,
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
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_code     TEXT    NOT NULL REFERENCES desk_services (code),
    unit             TEXT    NOT NULL REFERENCES desk_units (code),
    state            TEXT    NOT NULL CHECK (state IN ('new', 'acknowledged', 'in_progress', 'resolved', 'rejected', 'transferred')),
    description      TEXT    NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    address          TEXT,
    public           BOOLEAN NOT NULL,
    lang             TEXT    NOT NULL CHECK (lang IN ('pl', 'en', 'uk')),
    contact_kind     TEXT    CHECK (contact_kind IN ('email', 'phone')),
    contact_value    TEXT,
    token            TEXT    NOT NULL UNIQUE,
    fingerprint      TEXT    NOT NULL,
    due_on           TEXT    NOT NULL,
    photos           BIGINT  NOT NULL DEFAULT 0,
    published        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX desk_reports_fingerprint ON desk_reports (fingerprint, created_at);
CREATE INDEX desk_reports_unit_state ON desk_reports (unit, state);
CREATE INDEX desk_reports_created ON desk_reports (created_at);

CREATE TABLE desk_report_attributes (
    report_id BIGINT  NOT NULL REFERENCES desk_reports (id),
    code      TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    PRIMARY KEY (report_id, code)
);

-- Photos re-encoded as JPEG without metadata.
CREATE TABLE desk_photos (
    report_id BIGINT  NOT NULL REFERENCES desk_reports (id),
    n         BIGINT  NOT NULL CHECK (n BETWEEN 1 AND 3),
    jpeg      BYTEA   NOT NULL,
    width     BIGINT  NOT NULL,
    height    BIGINT  NOT NULL,
    PRIMARY KEY (report_id, n)
);

-- Every state change: the first row is the filing itself (from_state NULL, no official).
CREATE TABLE desk_report_events (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id     BIGINT  NOT NULL REFERENCES desk_reports (id),
    at            TIMESTAMPTZ NOT NULL,
    official_id   BIGINT  REFERENCES officials (id),
    from_state    TEXT,
    to_state      TEXT    NOT NULL,
    unit          TEXT    NOT NULL REFERENCES desk_units (code),
    public_note   TEXT    NOT NULL DEFAULT '',
    internal_note TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX desk_report_events_report ON desk_report_events (report_id, id);

CREATE TABLE desk_unit_staff (
    official_id BIGINT  NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    unit        TEXT    NOT NULL REFERENCES desk_units (code),
    PRIMARY KEY (official_id, unit)
);

-- The dispatcher role.
ALTER TABLE official_roles DROP CONSTRAINT official_roles_role_check;
ALTER TABLE official_roles ADD CONSTRAINT official_roles_role_check
    CHECK (role IN ('admin', 'editor', 'approver', 'analyst', 'dispatcher'));

-- The consent ledger also holds a report's `report_updates` consent: such an event names the report, not a
-- resident.
ALTER TABLE consent_events ALTER COLUMN resident_id DROP NOT NULL;
ALTER TABLE consent_events ADD COLUMN report_id BIGINT REFERENCES desk_reports (id);
ALTER TABLE consent_events ADD CONSTRAINT consent_events_subject CHECK (resident_id IS NOT NULL OR report_id IS NOT NULL);
CREATE INDEX consent_events_report ON consent_events (report_id);
