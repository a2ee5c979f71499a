-- The resident panel: residents, their contact points, secrets for verification and sign-in, sessions, push
-- subscriptions, the consent notices, and the append-only consent ledger with its derived current state.

-- Verification codes must not wait for quiet hours (hejnal-jobs reads this flag per broadcast).
ALTER TABLE broadcasts ADD COLUMN quiet_hours_exempt BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE residents (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    language             TEXT    NOT NULL CHECK (language IN ('pl', 'en', 'uk')),
    -- NULL only once erased (or purged): joining requires it.
    home_district        INTEGER REFERENCES districts (number),
    age_band             TEXT,
    monthly_survey_limit INTEGER NOT NULL DEFAULT 2 CHECK (monthly_survey_limit >= 0),
    test_group           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TEXT    NOT NULL,
    verified_at          TEXT,
    erased_at            TEXT
);
CREATE INDEX residents_district ON residents (home_district);
CREATE INDEX residents_created ON residents (created_at);

CREATE TABLE resident_districts (
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    district    INTEGER NOT NULL REFERENCES districts (number),
    PRIMARY KEY (resident_id, district)
);

CREATE TABLE resident_interests (
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    interest    TEXT    NOT NULL,
    PRIMARY KEY (resident_id, interest)
);

-- value: an email (lower-cased) or a phone number in E.164.
CREATE TABLE contact_points (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('email', 'phone')),
    value       TEXT    NOT NULL,
    verified_at TEXT,
    created_at  TEXT    NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX contact_points_resident ON contact_points (resident_id);

-- One-time secrets sent to a contact point: verification (purpose 'verify') or sign-in ('signin'); a link token
-- or a 6-digit code, stored hashed only.
CREATE TABLE contact_secrets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    purpose          TEXT    NOT NULL CHECK (purpose IN ('verify', 'signin')),
    form             TEXT    NOT NULL CHECK (form IN ('link', 'code')),
    secret_hash      TEXT    NOT NULL,
    tries            INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT    NOT NULL,
    expires_at       TEXT    NOT NULL,
    used_at          TEXT
);
CREATE INDEX contact_secrets_hash ON contact_secrets (secret_hash);
CREATE INDEX contact_secrets_point ON contact_secrets (contact_point_id);

CREATE TABLE resident_sessions (
    token_hash  TEXT    PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX resident_sessions_resident ON resident_sessions (resident_id);

CREATE TABLE push_subscriptions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    endpoint    TEXT    NOT NULL UNIQUE,
    p256dh      TEXT    NOT NULL,
    auth        TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX push_subscriptions_resident ON push_subscriptions (resident_id);

CREATE TABLE consent_notices (
    version      INTEGER PRIMARY KEY,
    published_at TEXT    NOT NULL,
    text_pl      TEXT    NOT NULL,
    text_en      TEXT    NOT NULL,
    text_uk      TEXT    NOT NULL
);

-- The consent ledger: every grant and withdrawal, never rewritten.
CREATE TABLE consent_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id    INTEGER NOT NULL REFERENCES residents (id),
    purpose        TEXT    NOT NULL,
    channel        TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    granted        BOOLEAN NOT NULL,
    notice_version INTEGER NOT NULL REFERENCES consent_notices (version),
    at             TEXT    NOT NULL,
    method         TEXT    NOT NULL CHECK (method IN ('web', 'api', 'import', 'unsubscribe', 'admin')),
    legal_basis    TEXT
);
CREATE INDEX consent_events_resident ON consent_events (resident_id, id);

CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'consent_events is append-only');
END;
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'consent_events is append-only');
END;

-- The ledger's latest event per (resident, purpose, channel), written in the same transaction as each event.
CREATE TABLE consent_current (
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    purpose     TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    granted     BOOLEAN NOT NULL,
    event_id    INTEGER NOT NULL,
    PRIMARY KEY (resident_id, purpose, channel)
);
CREATE INDEX consent_current_targeting ON consent_current (purpose, channel, granted);

-- A resident who reviewed the current notice (the /me banner asks about newer ones).
CREATE TABLE notice_reviews (
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    version     INTEGER NOT NULL REFERENCES consent_notices (version),
    at          TEXT    NOT NULL,
    PRIMARY KEY (resident_id, version)
);
