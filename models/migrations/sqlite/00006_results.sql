-- +goose Up
-- Results: the feedback switch of a round, the awards granted in a final round (by rank, overridden or
-- special), and publications — immutable, versioned snapshots of what was announced, with an embargo.
ALTER TABLE rounds ADD COLUMN feedback_enabled INTEGER NOT NULL DEFAULT 0;

CREATE TABLE award_grants (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    award_id       INTEGER REFERENCES awards (id) ON DELETE SET NULL,
    name           TEXT NOT NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    amount         INTEGER NOT NULL DEFAULT 0,
    currency       TEXT NOT NULL DEFAULT '',
    special        INTEGER NOT NULL DEFAULT 0 CHECK (special IN (0, 1)),
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    reason         TEXT NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     DATETIME NOT NULL
);
CREATE INDEX award_grants_round ON award_grants (round_id, position);

-- Rows are only ever inserted: a correction is a new version with a reason, older versions stay as history.
CREATE TABLE publications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    edition_id     INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL CHECK (version >= 1),
    final          INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
    method         TEXT NOT NULL,
    include_scores INTEGER NOT NULL DEFAULT 0 CHECK (include_scores IN (0, 1)),
    feedback       INTEGER NOT NULL DEFAULT 0 CHECK (feedback IN (0, 1)),
    snapshot       TEXT NOT NULL DEFAULT '{}',
    reason         TEXT NOT NULL DEFAULT '',
    publish_at     DATETIME NOT NULL,
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     DATETIME NOT NULL,
    UNIQUE (round_id, version)
);
CREATE INDEX publications_edition ON publications (edition_id, publish_at);

-- +goose Down
DROP TABLE publications;
DROP TABLE award_grants;
ALTER TABLE rounds DROP COLUMN feedback_enabled;
