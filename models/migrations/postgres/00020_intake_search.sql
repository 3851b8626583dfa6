-- +goose Up
-- Kept equivalent to sqlite/00020_intake_search.sql for the indexes on applications; the search table and its
-- trigram index are PostgreSQL's alone (SQLite keeps reading its LIKE from the name index, which is fast enough
-- at the sizes an SQLite installation holds).
--
-- The intake list filtered on one column: an index per filter the list offers on its own (sector, district,
-- women-led), in the time order, so that counting the matches and skipping to a page read that filter's
-- entries alone instead of every entry of the edition's order (250,000 at continental size). The columns the
-- other filters read ride along, and the time order's own columns, without which PostgreSQL reads an
-- expression index only with its table (see 00019).
CREATE INDEX applications_list_sector ON applications (edition_id, sector, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at, status, district, stage, women_led);
CREATE INDEX applications_list_district ON applications (edition_id, district, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at, status, sector, stage, women_led);
CREATE INDEX applications_list_women_led ON applications (edition_id, women_led, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at, status, sector, district, stage);

-- The search matches any part of a startup's name (name_key LIKE '%term%') or a whole reference. A B-tree
-- cannot answer the first, so every search read all of an edition's entries; a trigram index (pg_trgm) answers
-- it from the trigrams of the term. It sits on a narrow copy of what the search reads, application_search,
-- because a trigram match is always checked against the row: on the applications themselves, whose long
-- answers make them a few kilobytes each, counting the 12,000 matches of a common word read 10,000 table
-- pages; here it reads a hundred. Triggers keep the copy in step with applications in the same transaction,
-- whichever code path writes; deleting an application deletes its row (the foreign key).
--
-- pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it without being a superuser.
-- It lives in one schema of the database, whichever schemas use it: the first that asked for it keeps it. It
-- goes into public when there is one we may create in, so that a database holding several schemas (the tests
-- make one per test, and drop it afterwards) never loses it with one of them; the index names its operator
-- class with that schema, so it works whatever the search_path of the connection.
CREATE TABLE application_search (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    edition_id     BIGINT NOT NULL,
    name_key       TEXT NOT NULL,
    reference      TEXT
);
CREATE INDEX application_search_reference ON application_search (reference);

INSERT INTO application_search (application_id, edition_id, name_key, reference)
SELECT id, edition_id, name_key, reference FROM applications;

-- +goose StatementBegin
DO $$
DECLARE
    home text;
BEGIN
    SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF home IS NULL THEN
        IF to_regnamespace('public') IS NOT NULL AND has_schema_privilege('public', 'CREATE') THEN
            home := 'public';
        ELSE
            home := current_schema();
        END IF;
        EXECUTE format('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA %I', home);
    END IF;
    EXECUTE format('CREATE INDEX application_search_name ON application_search USING gin (name_key %I.gin_trgm_ops)', home);
END;
$$;
-- +goose StatementEnd

-- Statement-level with transition tables, as the statistics summary's: importing 10,000 applications in one
-- statement copies them in one statement too. An update rewrites only the rows whose searched columns changed.
-- +goose StatementBegin
CREATE FUNCTION application_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO application_search (application_id, edition_id, name_key, reference)
        SELECT a.id, a.edition_id, a.name_key, a.reference FROM new_apps a;
    ELSE
        UPDATE application_search s SET edition_id = a.edition_id, name_key = a.name_key, reference = a.reference
        FROM new_apps a
        WHERE s.application_id = a.id
          AND (s.edition_id, s.name_key, s.reference) IS DISTINCT FROM (a.edition_id, a.name_key, a.reference);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER applications_search_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_apps FOR EACH STATEMENT EXECUTE FUNCTION application_search_sync();
CREATE TRIGGER applications_search_update AFTER UPDATE ON applications
    REFERENCING NEW TABLE AS new_apps FOR EACH STATEMENT EXECUTE FUNCTION application_search_sync();

-- +goose Down
-- The extension stays: other schemas of the database may use it.
DROP TRIGGER applications_search_update ON applications;
DROP TRIGGER applications_search_insert ON applications;
DROP FUNCTION application_search_sync();
DROP TABLE application_search;
DROP INDEX applications_list_women_led;
DROP INDEX applications_list_district;
DROP INDEX applications_list_sector;
