-- A broadcast stopped for good (an alert cancelled or replaced), recorded by its key: a cancel can race the
-- hand-over and arrive before the broadcast itself exists. No delivery of a cancelled broadcast goes on the wire
-- afterwards (the engine checks this row in the same statement that marks a delivery `sending`).
CREATE TABLE broadcast_cancellations (
    key          TEXT        NOT NULL PRIMARY KEY,
    reason       TEXT        NOT NULL,
    cancelled_at TIMESTAMPTZ NOT NULL
);
