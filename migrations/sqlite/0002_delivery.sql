-- The delivery engine's tables (hejnal-jobs): broadcasts, their renderings, one row per (broadcast, recipient,
-- channel), and the workers that send them. The queue's own tables (apalis) sit beside these.
CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    key               TEXT    NOT NULL UNIQUE,
    kind              TEXT    NOT NULL,
    purpose           TEXT    NOT NULL,
    priority          TEXT    NOT NULL CHECK (priority IN ('emergency', 'service', 'survey')),
    topic             TEXT,
    fallback_language TEXT    NOT NULL,
    expires_at        TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    fanned_out_at     TEXT,
    next_batch        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE broadcast_contents (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'push', 'sms')),
    language     TEXT    NOT NULL,
    subject      TEXT,
    body_text    TEXT    NOT NULL,
    body_html    TEXT,
    url          TEXT,
    PRIMARY KEY (broadcast_id, channel, language)
);

-- status: queued → claimed (taken by a worker) → sending (on the wire) → sent → delivered | failed | skipped
CREATE TABLE deliveries (
    id                 INTEGER PRIMARY KEY,
    broadcast_id       INTEGER NOT NULL REFERENCES broadcasts (id),
    recipient_id       INTEGER NOT NULL,
    channel            TEXT    NOT NULL,
    language           TEXT    NOT NULL,
    batch              INTEGER NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'queued',
    reason             TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    not_before         TEXT,
    claimed_by         TEXT,
    sent_at            TEXT,
    vars               TEXT,
    fallback_of        INTEGER,
    possible_duplicate BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX deliveries_once ON deliveries (broadcast_id, recipient_id, channel);
CREATE INDEX deliveries_batch ON deliveries (broadcast_id, batch, status);
CREATE INDEX deliveries_recipient ON deliveries (recipient_id);
-- What is left to send, cheap to count for the queue-depth gauge.
CREATE INDEX deliveries_pending ON deliveries (broadcast_id) WHERE status IN ('queued', 'claimed', 'sending');

CREATE TABLE delivery_workers (
    name       TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    stopped_at TEXT
);

-- Keys the application makes for itself on first start and keeps (VAPID, delivery-report signing).
CREATE TABLE app_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
