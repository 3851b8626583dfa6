-- +goose Up
-- Kept equivalent to postgres/00020_intake_and_queue.sql for the indexes and counts of applications: an index per
-- filter the intake list offers on its own, in the time order, so that skipping to a page reads that filter's
-- entries alone (the status one replaces applications_edition_status, whose uses it serves). SQLite has no
-- INCLUDE, so 00019's orders are already the narrow ones PostgreSQL adds here. PostgreSQL's trigram search and
-- the narrow table it reads are not here: SQLite reads its LIKE from the name index, fast enough at the sizes an
-- SQLite installation holds.
CREATE INDEX applications_list_status ON applications (edition_id, status, COALESCE(first_submitted_at, created_at), id);
DROP INDEX applications_edition_status;
CREATE INDEX applications_list_sector ON applications (edition_id, sector, COALESCE(first_submitted_at, created_at), id);
CREATE INDEX applications_list_district ON applications (edition_id, district, COALESCE(first_submitted_at, created_at), id);
CREATE INDEX applications_list_women_led ON applications (edition_id, women_led, COALESCE(first_submitted_at, created_at), id);

-- How many applications each edition has per status, sector, district, stage and women-led, for the intake
-- list's counts; a log of signed changes written by triggers, summed and folded on reading, as on PostgreSQL.
CREATE TABLE application_counts (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
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
CREATE TRIGGER applications_counts_insert AFTER INSERT ON applications BEGIN
    INSERT INTO application_counts (edition_id, status, sector, district, stage, women_led, n)
    VALUES (NEW.edition_id, NEW.status, NEW.sector, NEW.district, NEW.stage, NEW.women_led, 1);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER applications_counts_delete AFTER DELETE ON applications BEGIN
    INSERT INTO application_counts (edition_id, status, sector, district, stage, women_led, n)
    VALUES (OLD.edition_id, OLD.status, OLD.sector, OLD.district, OLD.stage, OLD.women_led, -1);
END;
-- +goose StatementEnd

-- Only a change of what is counted moves an application between groups.
-- +goose StatementBegin
CREATE TRIGGER applications_counts_update AFTER UPDATE OF edition_id, status, sector, district, stage, women_led ON applications
WHEN OLD.edition_id IS NOT NEW.edition_id OR OLD.status IS NOT NEW.status OR OLD.sector IS NOT NEW.sector
    OR OLD.district IS NOT NEW.district OR OLD.stage IS NOT NEW.stage OR OLD.women_led IS NOT NEW.women_led
BEGIN
    INSERT INTO application_counts (edition_id, status, sector, district, stage, women_led, n)
    VALUES (OLD.edition_id, OLD.status, OLD.sector, OLD.district, OLD.stage, OLD.women_led, -1),
           (NEW.edition_id, NEW.status, NEW.sector, NEW.district, NEW.stage, NEW.women_led, 1);
END;
-- +goose StatementEnd

-- The judge's queue reads a judge's assignments with their scores in one statement (Store.JudgeQueueRows):
-- the judge indexes hold the application, so the rows are found from the index (they replace 00005's).
DROP INDEX IF EXISTS assignments_judge;
CREATE INDEX assignments_judge_queue ON assignments (judge_id, round_id, application_id);
DROP INDEX IF EXISTS scores_judge;
CREATE INDEX scores_judge_queue ON scores (judge_id, round_id, application_id);

-- +goose Down
DROP INDEX scores_judge_queue;
CREATE INDEX scores_judge ON scores (judge_id, round_id);
DROP INDEX assignments_judge_queue;
CREATE INDEX assignments_judge ON assignments (judge_id, round_id);
DROP TRIGGER applications_counts_update;
DROP TRIGGER applications_counts_delete;
DROP TRIGGER applications_counts_insert;
DROP TABLE application_counts;
DROP INDEX applications_list_women_led;
DROP INDEX applications_list_district;
DROP INDEX applications_list_sector;
CREATE INDEX applications_edition_status ON applications (edition_id, status);
DROP INDEX applications_list_status;
