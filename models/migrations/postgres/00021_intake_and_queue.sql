-- +goose Up
-- Kept equivalent to sqlite/00020_intake_and_queue.sql for the indexes and counts of applications and the
-- judge's queue; the search table and its trigram index are PostgreSQL's alone (SQLite keeps reading its LIKE
-- from the name index, which is fast enough at the sizes an SQLite installation holds).
--
-- The intake list filtered on one column: an index per filter the list offers on its own (status, sector,
-- district, women-led), in the time order, so that skipping to a page reads that filter's entries alone instead
-- of every entry of the edition's order (250,000 at continental size). The columns the other filters read ride
-- along, and the time order's own columns, without which PostgreSQL reads an expression index only with its
-- table (see 00019). The status index serves what applications_edition_status served, which it replaces.
CREATE INDEX applications_list_status ON applications (edition_id, status, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at);
DROP INDEX applications_edition_status;
CREATE INDEX applications_list_sector ON applications (edition_id, sector, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at, status, district, stage, women_led);
CREATE INDEX applications_list_district ON applications (edition_id, district, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at, status, sector, stage, women_led);
CREATE INDEX applications_list_women_led ON applications (edition_id, women_led, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at, status, sector, district, stage);

-- The two orders again without the filter columns: a page of the whole list far from both ends skips 125,000
-- entries, and here they are a third of the size of 00019's, which carry every filter column (an index larger
-- than the database's cache is read from the disk cache on every page).
CREATE INDEX applications_order_time ON applications (edition_id, (COALESCE(first_submitted_at, created_at)), id)
    INCLUDE (first_submitted_at, created_at);
CREATE INDEX applications_order_name ON applications (edition_id, name_key, id);

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

-- Statistics now, not when autovacuum comes by: without them the planner takes a common word for a rare one
-- and checks its thousands of matches one by one against the applications.
ANALYZE application_search;

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

-- How many applications each edition has per status, sector, district, stage and women-led, for the intake
-- list's counts: the counts per status it shows on every page, and the total of a list filtered on those
-- columns, read a few thousand rows instead of counting up to 250,000 index entries. Like the statistics
-- summary (00018) it is a log of signed changes that triggers write in the same transaction as each change to
-- applications (+1 for the group an application enters, -1 for the one it leaves), so concurrent submissions
-- never wait on a shared counter row; reading sums it, and folds it when it has piled up
-- (Store.CountApplicationsByStatus).
CREATE TABLE application_counts (
    id         BIGSERIAL PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    sector     TEXT NOT NULL,
    district   TEXT NOT NULL,
    stage      TEXT NOT NULL,
    women_led  TEXT NOT NULL,
    n          INTEGER NOT NULL
);
CREATE INDEX application_counts_edition ON application_counts (edition_id);

INSERT INTO application_counts (edition_id, status, sector, district, stage, women_led, n)
SELECT edition_id, status, sector, district, stage, women_led, COUNT(*)
FROM applications GROUP BY edition_id, status, sector, district, stage, women_led;

-- +goose StatementBegin
CREATE FUNCTION application_counts_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO application_counts (edition_id, status, sector, district, stage, women_led, n)
        SELECT edition_id, status, sector, district, stage, women_led, COUNT(*)
        FROM new_apps GROUP BY edition_id, status, sector, district, stage, women_led;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO application_counts (edition_id, status, sector, district, stage, women_led, n)
        SELECT edition_id, status, sector, district, stage, women_led, -COUNT(*)
        FROM old_apps GROUP BY edition_id, status, sector, district, stage, women_led;
    ELSE
        INSERT INTO application_counts (edition_id, status, sector, district, stage, women_led, n)
        SELECT edition_id, status, sector, district, stage, women_led, SUM(d.n)
        FROM (SELECT edition_id, status, sector, district, stage, women_led, -1 AS n FROM old_apps
              UNION ALL
              SELECT edition_id, status, sector, district, stage, women_led, 1 FROM new_apps) d
        GROUP BY edition_id, status, sector, district, stage, women_led
        HAVING SUM(d.n) <> 0;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER applications_counts_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_apps FOR EACH STATEMENT EXECUTE FUNCTION application_counts_record();
CREATE TRIGGER applications_counts_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_apps NEW TABLE AS new_apps FOR EACH STATEMENT EXECUTE FUNCTION application_counts_record();
CREATE TRIGGER applications_counts_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_apps FOR EACH STATEMENT EXECUTE FUNCTION application_counts_record();

-- The judge's queue reads a judge's ≈ 750 assignments with their entries and scores in one statement
-- (Store.JudgeQueueRows); these indexes hold what it reads of each, so it reads a few index pages instead of a
-- table page per row, three times over. The two judge indexes replace 00005's, whose uses they serve.
DROP INDEX IF EXISTS assignments_judge;
CREATE INDEX assignments_judge_queue ON assignments (judge_id, round_id, application_id);
DROP INDEX IF EXISTS scores_judge;
CREATE INDEX scores_judge_queue ON scores (judge_id, round_id, application_id) INCLUDE (status, updated_at);
CREATE INDEX round_entries_queue ON round_entries (round_id, application_id) INCLUDE (id, panel_id, live_position, live_locked_at);

-- +goose Down
-- The extension stays: other schemas of the database may use it.
DROP INDEX round_entries_queue;
DROP INDEX scores_judge_queue;
CREATE INDEX scores_judge ON scores (judge_id, round_id);
DROP INDEX assignments_judge_queue;
CREATE INDEX assignments_judge ON assignments (judge_id, round_id);
DROP TRIGGER applications_counts_delete ON applications;
DROP TRIGGER applications_counts_update ON applications;
DROP TRIGGER applications_counts_insert ON applications;
DROP FUNCTION application_counts_record();
DROP TABLE application_counts;
DROP TRIGGER applications_search_update ON applications;
DROP TRIGGER applications_search_insert ON applications;
DROP FUNCTION application_search_sync();
DROP TABLE application_search;
DROP INDEX applications_list_women_led;
DROP INDEX applications_list_district;
DROP INDEX applications_list_sector;
DROP INDEX applications_order_name;
DROP INDEX applications_order_time;
CREATE INDEX applications_edition_status ON applications (edition_id, status);
DROP INDEX applications_list_status;
