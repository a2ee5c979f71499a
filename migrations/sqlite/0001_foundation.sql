-- Officials, their roles, sessions, API tokens, the audit log and the district registry.
CREATE TABLE officials (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TEXT    NOT NULL
);

CREATE TABLE official_roles (
    official_id INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'approver', 'analyst')),
    PRIMARY KEY (official_id, role)
);

-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    official_id INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX sessions_official ON sessions (official_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    official_id  INTEGER NOT NULL REFERENCES officials (id),
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT    NOT NULL,
    actor_id INTEGER REFERENCES officials (id),
    action   TEXT    NOT NULL,
    subject  TEXT,
    detail   TEXT    NOT NULL
);

-- Append-only: the database itself refuses to rewrite history.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE districts (
    number     INTEGER PRIMARY KEY,
    roman      TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    area_km2   REAL    NOT NULL,
    population INTEGER NOT NULL
);
