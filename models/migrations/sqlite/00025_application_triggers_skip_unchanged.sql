-- +goose Up
-- Kept equivalent to postgres/00025_application_triggers_skip_unchanged.sql: there, the statistics summary's
-- and the intake counts' statement triggers now skip an update that changes nothing they count. SQLite's row
-- triggers (00018, 00021) already did, with their WHEN clauses, so nothing changes here.
SELECT 1;

-- +goose Down
SELECT 1;
