-- Open311 API keys for apps: issued by admins (page or `hejnal apikey create`), each limited per minute and
-- revocable. Only a hash of the key is kept (the key is shown once).
-- Also: an index for Open311's `GET requests` (by state and date over many reports).

CREATE TABLE open311_api_keys (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT        NOT NULL,
    key_hash     TEXT        NOT NULL UNIQUE,
    created_by   BIGINT      REFERENCES officials (id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE INDEX desk_reports_state_created ON desk_reports (state, created_at);
