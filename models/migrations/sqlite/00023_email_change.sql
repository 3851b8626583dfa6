-- +goose Up
-- Kept equivalent to postgres/00023_email_change.sql: a person may move their account to another address. The
-- link that proves the new address is a one-time token like the others, with its own purpose; the address it
-- leads to is kept in the token's email column until the link is followed.
--
-- SQLite cannot change a CHECK in place, so the table is built again with the wider one and the rows copied.
-- Nothing refers to one_time_tokens, so dropping the old table touches no other.
CREATE TABLE one_time_tokens_new (
    hash       TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'invitation', 'setup', 'change_email')),
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    lang       TEXT NOT NULL DEFAULT ''
);
INSERT INTO one_time_tokens_new (hash, purpose, user_id, email, role, created_by, created_at, expires_at, used_at, lang)
    SELECT hash, purpose, user_id, email, role, created_by, created_at, expires_at, used_at, lang FROM one_time_tokens;
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_new RENAME TO one_time_tokens;
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

-- +goose Down
CREATE TABLE one_time_tokens_old (
    hash       TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'invitation', 'setup')),
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    lang       TEXT NOT NULL DEFAULT ''
);
INSERT INTO one_time_tokens_old (hash, purpose, user_id, email, role, created_by, created_at, expires_at, used_at, lang)
    SELECT hash, purpose, user_id, email, role, created_by, created_at, expires_at, used_at, lang FROM one_time_tokens
    WHERE purpose <> 'change_email';
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_old RENAME TO one_time_tokens;
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);
