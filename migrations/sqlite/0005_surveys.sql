-- Consultations: surveys, invitations (the only place a resident and a survey meet), anonymous responses,
-- tallies kept up to date with every response, free-text answers awaiting review, and typo-fix revisions.

CREATE TABLE surveys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    -- draft: questions editable; launched: invitations out, questions frozen (typo fixes are revisions).
    state        TEXT    NOT NULL CHECK (state IN ('draft', 'launched')),
    def          TEXT    NOT NULL,
    author_id    INTEGER NOT NULL REFERENCES officials (id),
    created_at   TEXT    NOT NULL,
    launched_at  TEXT,
    launched_by  INTEGER REFERENCES officials (id),
    -- The audience, the sampling (seed, allocation) and the contact-cap count, as JSON, once launched.
    launch       TEXT,
    -- What the city publishes: question ids, "You said — we did", as JSON.
    publication  TEXT    NOT NULL DEFAULT '{}'
);

CREATE TABLE survey_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id),
    official_id INTEGER NOT NULL REFERENCES officials (id),
    at          TEXT    NOT NULL,
    note        TEXT    NOT NULL,
    before      TEXT    NOT NULL,
    after       TEXT    NOT NULL
);

CREATE TABLE survey_invitations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id     INTEGER NOT NULL REFERENCES surveys (id),
    -- Set to NULL when the resident is erased (the row still counts for response rates).
    resident_id   INTEGER REFERENCES residents (id),
    token_hash    TEXT    NOT NULL UNIQUE,
    district      INTEGER NOT NULL,
    age_band      TEXT    NOT NULL,
    channel       TEXT    NOT NULL CHECK (channel IN ('email', 'push', 'sms')),
    language      TEXT    NOT NULL,
    invited_at    TEXT    NOT NULL,
    reminders     INTEGER NOT NULL DEFAULT 0,
    answered_at   TEXT,
    UNIQUE (survey_id, resident_id)
);
CREATE INDEX survey_invitations_resident ON survey_invitations (resident_id, invited_at);
CREATE INDEX survey_invitations_open ON survey_invitations (survey_id) WHERE answered_at IS NULL;

-- No resident id unless the survey is identified (and the resident agreed on its first page); only the day.
CREATE TABLE survey_responses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id),
    answers     TEXT    NOT NULL,
    district    INTEGER NOT NULL,
    age_band    TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    resident_id INTEGER REFERENCES residents (id)
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id);

CREATE TABLE survey_tallies (
    survey_id INTEGER NOT NULL,
    question  TEXT    NOT NULL,
    key       TEXT    NOT NULL,
    district  INTEGER NOT NULL,
    age_band  TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (survey_id, question, key, district, age_band)
);

CREATE TABLE survey_cells (
    survey_id INTEGER NOT NULL,
    district  INTEGER NOT NULL,
    age_band  TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (survey_id, district, age_band)
);

-- Free-text answers, kept apart from their response, published only once an official approves each.
CREATE TABLE survey_texts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id),
    question    TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    approved    BOOLEAN,
    reviewed_by INTEGER REFERENCES officials (id),
    reviewed_at TEXT
);
CREATE INDEX survey_texts_survey ON survey_texts (survey_id, question);
