-- +goose Up
-- Kept equivalent to postgres/00019_large_edition_indexes.sql: the intake list's two orders as indexes, so a
-- page reads its rows in order instead of sorting every application of the edition, and a round's entries per
-- panel counted from an index. SQLite has no INCLUDE; the orders alone are what it needs.
CREATE INDEX applications_list_time ON applications (edition_id, COALESCE(first_submitted_at, created_at), id);
CREATE INDEX applications_list_name ON applications (edition_id, name_key, id);
CREATE INDEX round_entries_panel ON round_entries (round_id, panel_id);

-- +goose Down
DROP INDEX round_entries_panel;
DROP INDEX applications_list_name;
DROP INDEX applications_list_time;
