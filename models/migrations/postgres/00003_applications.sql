-- +goose Up
-- Editions, their awards and extra questions; applications with their team, submitted versions, and the
-- idempotency keys that make a retried submission replay its first answer. Kept equivalent to
-- sqlite/00003_applications.sql: same tables, columns, defaults, constraints and indexes.
--
-- applications.status has no CHECK on purpose: later issues add statuses (in_round, advanced, ...) and SQLite
-- cannot alter a CHECK without rebuilding the table; the services validate it.

CREATE TABLE editions (
    id               BIGSERIAL PRIMARY KEY,
    name             TEXT NOT NULL,
    slug             TEXT NOT NULL UNIQUE,
    year             INTEGER NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    time_zone        TEXT NOT NULL DEFAULT 'Africa/Kigali',
    opens_at         TIMESTAMPTZ NOT NULL,
    closes_at        TIMESTAMPTZ NOT NULL,
    grace_minutes    INTEGER NOT NULL DEFAULT 0 CHECK (grace_minutes BETWEEN 0 AND 1440),
    eligibility      TEXT NOT NULL DEFAULT '{}',
    women_led_rule   TEXT NOT NULL DEFAULT 'woman_ceo'
                     CHECK (women_led_rule IN ('woman_ceo', 'half_founders_women', 'women_own_51', 'any_woman_founder')),
    sectors          TEXT NOT NULL DEFAULT '[]',
    reference_prefix TEXT NOT NULL DEFAULT 'PF',
    application_seq  INTEGER NOT NULL DEFAULT 0,
    max_deck_mb      INTEGER NOT NULL DEFAULT 20,
    max_deck_pages   INTEGER NOT NULL DEFAULT 30,
    published_at     TIMESTAMPTZ,
    results_at       TIMESTAMPTZ,
    created_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CHECK (opens_at < closes_at)
);

CREATE TABLE awards (
    id         BIGSERIAL PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    amount     BIGINT NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency   TEXT NOT NULL DEFAULT 'RWF',
    UNIQUE (edition_id, position)
);

CREATE TABLE questions (
    id         BIGSERIAL PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('short_text', 'long_text', 'single_choice', 'yes_no')),
    labels     TEXT NOT NULL DEFAULT '{}',
    char_limit INTEGER NOT NULL DEFAULT 0 CHECK (char_limit >= 0),
    choices    TEXT NOT NULL DEFAULT '[]',
    required   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX questions_edition ON questions (edition_id, position);

CREATE TABLE applications (
    id                  BIGSERIAL PRIMARY KEY,
    edition_id          BIGINT NOT NULL REFERENCES editions (id) ON DELETE RESTRICT,
    applicant_id        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    seq                 INTEGER,
    reference           TEXT,
    status              TEXT NOT NULL DEFAULT 'draft',
    startup_name        TEXT NOT NULL DEFAULT '',
    name_key            TEXT NOT NULL DEFAULT '',
    registration_number TEXT NOT NULL DEFAULT '',
    founded_on          TEXT NOT NULL DEFAULT '',
    website             TEXT NOT NULL DEFAULT '',
    sector              TEXT NOT NULL DEFAULT '',
    province            TEXT NOT NULL DEFAULT '',
    district            TEXT NOT NULL DEFAULT '',
    stage               TEXT NOT NULL DEFAULT '',
    employees           INTEGER CHECK (employees >= 0),
    revenue_band        TEXT NOT NULL DEFAULT '',
    funding_raised      BIGINT CHECK (funding_raised >= 0),
    one_liner           TEXT NOT NULL DEFAULT '',
    problem             TEXT NOT NULL DEFAULT '',
    solution            TEXT NOT NULL DEFAULT '',
    market              TEXT NOT NULL DEFAULT '',
    business_model      TEXT NOT NULL DEFAULT '',
    traction            TEXT NOT NULL DEFAULT '',
    competition         TEXT NOT NULL DEFAULT '',
    impact              TEXT NOT NULL DEFAULT '',
    use_of_prize        TEXT NOT NULL DEFAULT '',
    answers             TEXT NOT NULL DEFAULT '{}',
    consent_terms       BOOLEAN NOT NULL DEFAULT FALSE,
    consent_stats       BOOLEAN NOT NULL DEFAULT FALSE,
    women_led           TEXT NOT NULL DEFAULT 'undisclosed'
                        CHECK (women_led IN ('women_led', 'not_women_led', 'undisclosed')),
    ineligible_reason   TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    submitted_version   INTEGER NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    first_submitted_at  TIMESTAMPTZ,
    submitted_at        TIMESTAMPTZ,
    withdrawn_at        TIMESTAMPTZ,
    ineligible_at       TIMESTAMPTZ,
    UNIQUE (edition_id, seq),
    UNIQUE (edition_id, reference),
    UNIQUE (edition_id, applicant_id)
);
CREATE INDEX applications_edition_status ON applications (edition_id, status);
CREATE INDEX applications_applicant ON applications (applicant_id);

CREATE TABLE team_members (
    id                BIGSERIAL PRIMARY KEY,
    application_id    BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL DEFAULT 0,
    name              TEXT NOT NULL DEFAULT '',
    role              TEXT NOT NULL DEFAULT '',
    founder           BOOLEAN NOT NULL DEFAULT FALSE,
    ceo               BOOLEAN NOT NULL DEFAULT FALSE,
    gender            TEXT NOT NULL DEFAULT ''
                      CHECK (gender IN ('', 'woman', 'man', 'another', 'prefer_not_to_say')),
    age_band          TEXT NOT NULL DEFAULT '',
    ownership_percent DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (ownership_percent BETWEEN 0 AND 100),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX team_members_application ON team_members (application_id, position);

CREATE TABLE application_versions (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    snapshot       TEXT NOT NULL,
    submitted_at   TIMESTAMPTZ NOT NULL,
    submitted_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (application_id, number)
);

CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE application_versions;
DROP TABLE team_members;
DROP TABLE applications;
DROP TABLE questions;
DROP TABLE awards;
DROP TABLE editions;
