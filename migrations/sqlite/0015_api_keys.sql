-- Open311 API keys for apps: issued by admins (page or `hejnal apikey create`), each limited per minute and
-- revocable. Only a hash of the key is kept (the key is shown once).
-- Also: an index for Open311's `GET requests` (by state and date over many reports).

CREATE TABLE open311_api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL UNIQUE,
    created_by   INTEGER REFERENCES officials (id),
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE INDEX desk_reports_state_created ON desk_reports (state, created_at);
