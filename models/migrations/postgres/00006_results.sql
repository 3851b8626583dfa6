-- +goose Up
-- Results: the feedback switch of a round, the awards granted in a final round (by rank, overridden or
-- special), and publications — immutable, versioned snapshots of what was announced, with an embargo.
ALTER TABLE rounds ADD COLUMN feedback_enabled BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE award_grants (
    id             BIGSERIAL PRIMARY KEY,
    round_id       BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    award_id       BIGINT REFERENCES awards (id) ON DELETE SET NULL,
    name           TEXT NOT NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    amount         BIGINT NOT NULL DEFAULT 0,
    currency       TEXT NOT NULL DEFAULT '',
    special        BOOLEAN NOT NULL DEFAULT FALSE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    reason         TEXT NOT NULL DEFAULT '',
    created_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX award_grants_round ON award_grants (round_id, position);

-- Rows are only ever inserted: a correction is a new version with a reason, older versions stay as history.
CREATE TABLE publications (
    id             BIGSERIAL PRIMARY KEY,
    edition_id     BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    round_id       BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL CHECK (version >= 1),
    final          BOOLEAN NOT NULL DEFAULT FALSE,
    method         TEXT NOT NULL,
    include_scores BOOLEAN NOT NULL DEFAULT FALSE,
    feedback       BOOLEAN NOT NULL DEFAULT FALSE,
    snapshot       TEXT NOT NULL DEFAULT '{}',
    reason         TEXT NOT NULL DEFAULT '',
    publish_at     TIMESTAMPTZ NOT NULL,
    created_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, version)
);
CREATE INDEX publications_edition ON publications (edition_id, publish_at);

-- +goose Down
DROP TABLE publications;
DROP TABLE award_grants;
ALTER TABLE rounds DROP COLUMN feedback_enabled;
