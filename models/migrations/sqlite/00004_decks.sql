-- +goose Up
-- Pitch decks: every uploaded version is kept; the application's current deck is its highest version ("latest
-- version wins"), so the deck judged is simply the last one accepted before the deadline. Blobs are written
-- before their row and keyed editions/{edition}/applications/{application}/decks/{uuid}.pdf; a blob under
-- editions/ with no row here (a crash between the two writes, a direct upload never confirmed, a deleted
-- application) is an orphan that the sweep removes once it is a day old.
-- Kept equivalent to postgres/00004_decks.sql.

CREATE TABLE decks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL CHECK (version >= 1),
    storage_key    TEXT NOT NULL UNIQUE,
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes     BIGINT NOT NULL CHECK (size_bytes > 0),
    pages          INTEGER NOT NULL CHECK (pages > 0),
    original_name  TEXT NOT NULL DEFAULT '',
    uploaded_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     DATETIME NOT NULL,
    UNIQUE (application_id, version)
);

-- Direct-to-storage uploads in flight: the presigned POST names one key; confirming it turns the row into a
-- deck. Rows past expires_at are only a record for the sweep, which deletes them with any object left behind.
CREATE TABLE deck_uploads (
    id             TEXT PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    storage_key    TEXT NOT NULL UNIQUE,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    original_name  TEXT NOT NULL DEFAULT '',
    max_bytes      BIGINT NOT NULL CHECK (max_bytes > 0),
    created_at     DATETIME NOT NULL,
    expires_at     DATETIME NOT NULL
);
CREATE INDEX deck_uploads_application ON deck_uploads (application_id);
CREATE INDEX deck_uploads_expires_at ON deck_uploads (expires_at);

-- +goose Down
DROP TABLE deck_uploads;
DROP TABLE decks;
