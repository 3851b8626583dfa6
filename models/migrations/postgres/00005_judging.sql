-- +goose Up
-- Judging: rounds with their rubric, panels of judges, the applications in each round, who judges what,
-- declared conflicts and the judges' scores. JSON documents (translated texts, score values) are kept as
-- TEXT on both engines so the two schemas stay equivalent and the Go side decodes them the same way.
CREATE TABLE rounds (
    id                     BIGSERIAL PRIMARY KEY,
    edition_id             BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position               INTEGER NOT NULL CHECK (position >= 1),
    name                   TEXT NOT NULL,
    kind                   TEXT NOT NULL DEFAULT 'online' CHECK (kind IN ('online', 'live')),
    opens_at               TIMESTAMPTZ,
    closes_at              TIMESTAMPTZ,
    judges_per_app         INTEGER NOT NULL DEFAULT 3 CHECK (judges_per_app >= 1),
    blind                  BOOLEAN NOT NULL DEFAULT FALSE,
    personal_fields        TEXT NOT NULL DEFAULT '[]',
    method                 TEXT NOT NULL DEFAULT 'z' CHECK (method IN ('z', 'mean', 'median')),
    min_judge_scores       INTEGER NOT NULL DEFAULT 5 CHECK (min_judge_scores >= 1),
    disagreement_threshold DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (disagreement_threshold >= 0),
    advance_count          INTEGER NOT NULL DEFAULT 0 CHECK (advance_count >= 0),
    status                 TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    assignment_seed        BIGINT NOT NULL DEFAULT 0,
    rubric_locked_at       TIMESTAMPTZ,
    live_application_id    BIGINT REFERENCES applications (id) ON DELETE SET NULL,
    live_updated_at        TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    UNIQUE (edition_id, position)
);

CREATE TABLE criteria (
    id          BIGSERIAL PRIMARY KEY,
    round_id    BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL DEFAULT '{}',
    description TEXT NOT NULL DEFAULT '{}',
    descriptors TEXT NOT NULL DEFAULT '[]',
    weight      DOUBLE PRECISION NOT NULL CHECK (weight > 0),
    scale_min   INTEGER NOT NULL,
    scale_max   INTEGER NOT NULL,
    CHECK (scale_min < scale_max)
);
CREATE INDEX criteria_round ON criteria (round_id, position);

CREATE TABLE panels (
    id         BIGSERIAL PRIMARY KEY,
    round_id   BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    sector     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, name)
);

-- A judge sits on at most one panel per round; max_load 0 means no maximum.
CREATE TABLE panel_judges (
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    judge_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    max_load INTEGER NOT NULL DEFAULT 0 CHECK (max_load >= 0),
    PRIMARY KEY (panel_id, judge_id),
    UNIQUE (round_id, judge_id)
);

CREATE TABLE round_entries (
    id             BIGSERIAL PRIMARY KEY,
    round_id       BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    panel_id       BIGINT REFERENCES panels (id) ON DELETE SET NULL,
    outcome        TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'advanced', 'eliminated')),
    live_position  INTEGER NOT NULL DEFAULT 0,
    live_locked_at TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, application_id)
);
CREATE INDEX round_entries_application ON round_entries (application_id);

CREATE TABLE assignments (
    id             BIGSERIAL PRIMARY KEY,
    round_id       BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    judge_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source         TEXT NOT NULL DEFAULT 'auto' CHECK (source IN ('auto', 'manual', 'refill')),
    created_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, application_id, judge_id)
);
CREATE INDEX assignments_judge ON assignments (judge_id, round_id);

CREATE TABLE conflicts (
    id             BIGSERIAL PRIMARY KEY,
    edition_id     BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    judge_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason         TEXT NOT NULL,
    declared_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (application_id, judge_id)
);
CREATE INDEX conflicts_edition ON conflicts (edition_id);
CREATE INDEX conflicts_judge ON conflicts (judge_id);

CREATE TABLE scores (
    id             BIGSERIAL PRIMARY KEY,
    round_id       BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    judge_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    score_values   TEXT NOT NULL DEFAULT '{}',
    comment        TEXT NOT NULL DEFAULT '',
    private_note   TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    submitted_at   TIMESTAMPTZ,
    UNIQUE (round_id, application_id, judge_id)
);
CREATE INDEX scores_judge ON scores (judge_id, round_id);

-- +goose Down
DROP TABLE scores;
DROP TABLE conflicts;
DROP TABLE assignments;
DROP TABLE round_entries;
DROP TABLE panel_judges;
DROP TABLE panels;
DROP TABLE criteria;
DROP TABLE rounds;
