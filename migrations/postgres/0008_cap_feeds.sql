-- What the CAP feed poller has seen: one row per upstream message (an Atom entry's CAP address, or the sender and
-- identifier of a CAP document served at a fixed address). The row is claimed before importing, so with several
-- processes polling only one imports; the outcome says what became of it (a draft, or why it was refused).
CREATE TABLE cap_feed_items (
    key      TEXT    PRIMARY KEY,
    feed     TEXT    NOT NULL,
    alert_id BIGINT   REFERENCES alerts (id),
    outcome  TEXT    NOT NULL,
    seen_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX cap_feed_items_seen ON cap_feed_items (seen_at);
