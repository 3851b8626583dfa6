-- +goose Up
-- What an organizer writes may be given in each UI language (en, fr, rw). The existing column stays the main
-- text, shown when the visitor's language has no translation; these JSON objects (language → text) hold the
-- translations beside it, so a fourth language needs no migration.
ALTER TABLE editions ADD COLUMN name_i18n TEXT NOT NULL DEFAULT '{}';
ALTER TABLE editions ADD COLUMN description_i18n TEXT NOT NULL DEFAULT '{}';
ALTER TABLE awards ADD COLUMN name_i18n TEXT NOT NULL DEFAULT '{}';
ALTER TABLE rounds ADD COLUMN name_i18n TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE rounds DROP COLUMN name_i18n;
ALTER TABLE awards DROP COLUMN name_i18n;
ALTER TABLE editions DROP COLUMN description_i18n;
ALTER TABLE editions DROP COLUMN name_i18n;
