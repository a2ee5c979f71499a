-- Quick polls: one question with 2–10 options, for the public site or for signed-in panel members only.
--
-- Texts are Polish (required) with optional English and Ukrainian. A poll is open while
-- opens_at <= now < closes_at; closing early moves closes_at to the moment it was closed.
-- Votes hold the option and, for panel polls only, the resident (one vote each: the unique index). Public votes
-- are anonymous rows: no address, no cookie value, nothing that identifies the voter is stored.

CREATE TABLE polls (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_pl     TEXT    NOT NULL,
    question_en     TEXT,
    question_uk     TEXT,
    audience        TEXT    NOT NULL CHECK (audience IN ('public', 'panel')),
    opens_at        TIMESTAMPTZ NOT NULL,
    closes_at       TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    author_id       BIGINT  NOT NULL REFERENCES officials (id),
    closed_early_at TIMESTAMPTZ,
    closed_by       BIGINT  REFERENCES officials (id)
);
CREATE INDEX polls_closes ON polls (closes_at);

CREATE TABLE poll_options (
    poll_id  BIGINT  NOT NULL REFERENCES polls (id),
    position BIGINT  NOT NULL CHECK (position BETWEEN 1 AND 10),
    text_pl  TEXT    NOT NULL,
    text_en  TEXT,
    text_uk  TEXT,
    PRIMARY KEY (poll_id, position)
);

CREATE TABLE poll_votes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    poll_id     BIGINT  NOT NULL,
    position    BIGINT  NOT NULL,
    -- Panel polls only; NULL for public polls.
    resident_id BIGINT  REFERENCES residents (id),
    at          TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (poll_id, position) REFERENCES poll_options (poll_id, position)
);
CREATE INDEX poll_votes_poll ON poll_votes (poll_id, position);
-- One vote per resident and poll (NULLs, the public votes, are distinct on both backends).
CREATE UNIQUE INDEX poll_votes_resident ON poll_votes (poll_id, resident_id);
