-- +goose Up
-- Kept equivalent to postgres/00020_invitation_language.sql: the language an invitation was written in, so
-- that sending it again writes to the invitee in the same language rather than in the sender's.
ALTER TABLE one_time_tokens ADD COLUMN lang TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE one_time_tokens DROP COLUMN lang;
