-- Officials, their roles, sessions, API tokens, the audit log and the district registry.
CREATE TABLE officials (
    id            BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT        NOT NULL UNIQUE,
    name          TEXT        NOT NULL,
    password_hash TEXT        NOT NULL,
    active        BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE official_roles (
    official_id BIGINT NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    role        TEXT   NOT NULL CHECK (role IN ('admin', 'editor', 'approver', 'analyst')),
    PRIMARY KEY (official_id, role)
);

-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash  TEXT        PRIMARY KEY,
    official_id BIGINT      NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_official ON sessions (official_id);

CREATE TABLE api_tokens (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    official_id  BIGINT      NOT NULL REFERENCES officials (id),
    name         TEXT        NOT NULL,
    token_hash   TEXT        NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE audit_log (
    id       BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TIMESTAMPTZ NOT NULL,
    actor_id BIGINT      REFERENCES officials (id),
    action   TEXT        NOT NULL,
    subject  TEXT,
    detail   TEXT        NOT NULL
);

-- Append-only: the database itself refuses to rewrite history.
CREATE FUNCTION refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();

CREATE TABLE districts (
    number     BIGINT           PRIMARY KEY,
    roman      TEXT             NOT NULL,
    name       TEXT             NOT NULL,
    area_km2   DOUBLE PRECISION NOT NULL,
    population BIGINT           NOT NULL
);
