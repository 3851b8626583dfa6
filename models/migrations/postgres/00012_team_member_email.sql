-- +goose Up
-- A team member's email address, optional. A judge whose account has it (or who owns the application) is in
-- conflict with the application: they never judge it. Stored normalized (trimmed, lower-cased) like users'
-- email_norm, so the match is one equality on both databases.
ALTER TABLE team_members ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE INDEX team_members_email ON team_members (email) WHERE email <> '';

-- +goose Down
DROP INDEX team_members_email;
ALTER TABLE team_members DROP COLUMN email;
