-- +goose Up
-- Kept equivalent to sqlite/00023_email_change.sql: a person may move their account to another address. The
-- link that proves the new address is a one-time token like the others, with its own purpose; the address it
-- leads to is kept in the token's email column until the link is followed.
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'invitation', 'setup', 'change_email'));

-- +goose Down
DELETE FROM one_time_tokens WHERE purpose = 'change_email';
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'invitation', 'setup'));
