-- +goose Up
-- Kept equivalent to postgres/00020_intake_search.sql for the indexes on applications: an index per filter the
-- intake list offers on its own, in the time order, so that counting the matches and skipping to a page read
-- that filter's entries alone. PostgreSQL's trigram search and the narrow table it reads are not here: SQLite
-- reads its LIKE from the name index, fast enough at the sizes an SQLite installation holds.
CREATE INDEX applications_list_sector ON applications (edition_id, sector, COALESCE(first_submitted_at, created_at), id);
CREATE INDEX applications_list_district ON applications (edition_id, district, COALESCE(first_submitted_at, created_at), id);
CREATE INDEX applications_list_women_led ON applications (edition_id, women_led, COALESCE(first_submitted_at, created_at), id);

-- +goose Down
DROP INDEX applications_list_women_led;
DROP INDEX applications_list_district;
DROP INDEX applications_list_sector;
