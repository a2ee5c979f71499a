-- Emergency alerts and service announcements (CAP 1.2 messages), and the residents' "are you safe?" replies.
--
-- `spec` holds the validated message as JSON (texts per language, CAP fields, area, channels): one shape for both
-- backends, read and written only through `domain::alert::AlertSpec`. `districts` is the resolved target district
-- list (JSON array), kept apart because the public list filters on it.

CREATE TABLE alerts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identifier    TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL CHECK (kind IN ('emergency', 'service')),
    status        TEXT    NOT NULL CHECK (status IN ('Actual', 'Exercise', 'Test', 'Draft')),
    msg_type      TEXT    NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
    references_id BIGINT  REFERENCES alerts (id),
    -- draft: waits for approval; scheduled: approved, sends at scheduled_at; approved: to be handed to the engine;
    -- sending: handed over (broadcast_id set); cancelled / updated: a later message replaced it.
    state         TEXT    NOT NULL CHECK (state IN ('draft', 'scheduled', 'approved', 'sending', 'cancelled', 'updated')),
    source        TEXT    NOT NULL CHECK (source IN ('compose', 'api', 'cap')),
    spec          TEXT    NOT NULL,
    districts     TEXT    NOT NULL,
    ask_safety    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    scheduled_at  TIMESTAMPTZ,
    author_id     BIGINT  NOT NULL REFERENCES officials (id),
    approved_by   BIGINT  REFERENCES officials (id),
    approved_at   TIMESTAMPTZ,
    sent_at       TIMESTAMPTZ,
    broadcast_id  BIGINT  REFERENCES broadcasts (id),
    ended_at      TIMESTAMPTZ
);
CREATE INDEX alerts_state ON alerts (state);
CREATE INDEX alerts_sent ON alerts (sent_at);

CREATE TABLE alert_replies (
    alert_id      BIGINT  NOT NULL REFERENCES alerts (id),
    resident_id   BIGINT  NOT NULL REFERENCES residents (id),
    answer        TEXT    NOT NULL CHECK (answer IN ('safe', 'help')),
    via           TEXT    NOT NULL CHECK (via IN ('web', 'sms')),
    -- The resident agreed, when asking for help, that the crisis team may see their contact details.
    share_contact BOOLEAN NOT NULL DEFAULT FALSE,
    at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (alert_id, resident_id)
);
