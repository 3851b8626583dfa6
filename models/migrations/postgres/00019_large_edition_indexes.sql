-- +goose Up
-- Kept equivalent to sqlite/00019_large_edition_indexes.sql.
--
-- The intake list's two orders, each an index that walks an edition's applications in that order, so a page
-- reads its 50 rows instead of sorting every application of the edition (250,000 at continental size). The
-- columns the list filters on and searches ride along (INCLUDE), so that counting the matches, skipping to
-- page 2,500 and filtering read the index alone, never the wide application rows; the time order's own columns
-- are there too, because PostgreSQL reads an expression index without its table only when the columns the
-- expression uses are in it.
CREATE INDEX applications_list_time ON applications (edition_id, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at, status, sector, district, stage, women_led, name_key, reference);
CREATE INDEX applications_list_name ON applications (edition_id, name_key, id)
    INCLUDE (first_submitted_at, status, sector, district, stage, women_led, reference);

-- A round's entries per panel, counted from the index alone: the intake list and the panel pages show the
-- counts, and a continental first round holds 250,000 entries.
CREATE INDEX round_entries_panel ON round_entries (round_id, panel_id);

-- +goose Down
DROP INDEX round_entries_panel;
DROP INDEX applications_list_name;
DROP INDEX applications_list_time;
