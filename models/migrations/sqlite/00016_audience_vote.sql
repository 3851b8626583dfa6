-- +goose Up
-- The audience vote ("people's choice") of an edition's final round. One settings row per round: what the
-- result is (its own award, or a share of the final score declared before the vote opens and frozen once it
-- does), how a voter proves they are one person (a printed one-time code, or a verified e-mail address), the
-- state (not open, open, closed, with times), the short address of the voter's page, and the salt of the
-- network-address hashes (per round, so hashes cannot be matched across events).
CREATE TABLE vote_settings (
    round_id         INTEGER PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
    mode             TEXT NOT NULL DEFAULT 'award' CHECK (mode IN ('award', 'combined')),
    audience_percent INTEGER NOT NULL DEFAULT 0 CHECK (audience_percent BETWEEN 0 AND 100),
    identity         TEXT NOT NULL DEFAULT 'codes' CHECK (identity IN ('codes', 'email')),
    state            TEXT NOT NULL DEFAULT '' CHECK (state IN ('', 'open', 'closed')),
    short            TEXT NOT NULL UNIQUE,
    salt             TEXT NOT NULL,
    opened_at        DATETIME,
    closed_at        DATETIME,
    updated_at       DATETIME NOT NULL
);

-- Printed one-time codes: only their hash is kept; the codes themselves are shown once, when generated.
CREATE TABLE voter_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id   INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL UNIQUE,
    batch      INTEGER NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX voter_codes_round ON voter_codes (round_id, batch);

-- A voter: one redeemed code, or one e-mail address (verified once the mailed code is typed back). The
-- voter's browser holds a secret whose hash is token_hash; device is the browser's own long-lived id, which the
-- anomaly flags compare.
CREATE TABLE voters (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id        INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    code_id         INTEGER UNIQUE REFERENCES voter_codes (id) ON DELETE CASCADE,
    email           TEXT,
    email_code_hash TEXT,
    email_sent_at   DATETIME,
    attempts        INTEGER NOT NULL DEFAULT 0,
    verified_at     DATETIME,
    token_hash      TEXT UNIQUE,
    device          TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    CHECK ((code_id IS NULL) <> (email IS NULL)),
    UNIQUE (round_id, email)
);
CREATE INDEX voters_device ON voters (round_id, device);

-- One vote per voter and round, changed in place until the vote closes (so a retried or repeated vote is
-- counted once). device and net_hash (a salted hash of the network address) feed the anomaly flags; a voided
-- vote keeps its row, with the reason, who voided it and when.
CREATE TABLE votes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    voter_id       INTEGER NOT NULL UNIQUE REFERENCES voters (id) ON DELETE CASCADE,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    device         TEXT NOT NULL DEFAULT '',
    net_hash       TEXT NOT NULL DEFAULT '',
    cast_at        DATETIME NOT NULL,
    changed_at     DATETIME NOT NULL,
    changes        INTEGER NOT NULL DEFAULT 0,
    void_reason    TEXT,
    voided_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    voided_at      DATETIME
);
CREATE INDEX votes_round ON votes (round_id, application_id);

-- The people's choice award is written when the vote closes, next to the organizer's awards: awards confirmed
-- from the ranking replace only the grants that are not the audience's, so neither erases the other.
ALTER TABLE award_grants ADD COLUMN audience INTEGER NOT NULL DEFAULT 0 CHECK (audience IN (0, 1));

-- +goose Down
ALTER TABLE award_grants DROP COLUMN audience;
DROP TABLE votes;
DROP TABLE voters;
DROP TABLE voter_codes;
DROP TABLE vote_settings;
