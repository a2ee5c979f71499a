-- Quiet hours (hejnal-jobs): a batch held for the night is marked once, with the moment it may leave, and no queue
-- job waits for it; the engine's sweep releases each mark once when the window ends.
CREATE TABLE held_batches (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    batch        INTEGER NOT NULL,
    held_until   TEXT    NOT NULL,
    PRIMARY KEY (broadcast_id, batch)
);
CREATE INDEX held_batches_until ON held_batches (held_until);

-- When this worker's sweep last looked at the queue: shows the safety net is alive.
ALTER TABLE delivery_workers ADD COLUMN swept_at TEXT;
