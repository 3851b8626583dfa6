-- +goose Up
-- Kept equivalent to postgres/00018_statistics_summary.sql.
--
-- A per-edition summary of the applications for the participation statistics, so that the statistics of an
-- edition of 250,000 applications read a few thousand summary rows instead of grouping every application row
-- (docs/benchmarks.md). The summary is kept current by triggers on applications, in the same transaction as
-- each change, whichever code path writes (create, save, submit, withdraw, intake moves, the round-progress and
-- team-summary triggers of 00009 and 00010, anonymizing, deleting).
--
-- It is a log of signed changes rather than one counter row per group: a trigger only ever INSERTs (+1 for the
-- group an application enters, -1 for the one it leaves), so that on PostgreSQL concurrent submissions never
-- wait on a shared summary row. Reading sums the rows of an edition by group; the reader folds them into one
-- row per group when they have piled up (Store.StatisticsSummaryRows). Awards and what live publications
-- announced are not in it: they concern few applications and are applied on reading.
CREATE TABLE statistics_summary (
    id            INTEGER PRIMARY KEY,
    edition_id    INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    submitted     INTEGER NOT NULL,
    eligible      INTEGER NOT NULL,
    progress      INTEGER NOT NULL,
    women_led     TEXT NOT NULL,
    consent_stats BOOLEAN NOT NULL,
    sector        TEXT NOT NULL,
    province      TEXT NOT NULL,
    district      TEXT NOT NULL,
    age_band      TEXT NOT NULL,
    n             INTEGER NOT NULL,
    fw            INTEGER NOT NULL,
    fm            INTEGER NOT NULL,
    fa            INTEGER NOT NULL,
    fu            INTEGER NOT NULL
);
CREATE INDEX statistics_summary_edition ON statistics_summary (edition_id);

-- +goose StatementBegin
CREATE TRIGGER applications_statistics_insert AFTER INSERT ON applications BEGIN
    INSERT INTO statistics_summary (edition_id, submitted, eligible, progress, women_led, consent_stats, sector,
                                    province, district, age_band, n, fw, fm, fa, fu)
    VALUES (NEW.edition_id, CASE WHEN NEW.submitted_version > 0 THEN 1 ELSE 0 END,
            CASE WHEN NEW.submitted_version > 0 AND NEW.status = 'submitted' THEN 1 ELSE 0 END,
            NEW.round_progress, NEW.women_led, NEW.consent_stats, NEW.sector, NEW.province, NEW.district,
            NEW.ceo_age_band, 1, NEW.founders_women, NEW.founders_men, NEW.founders_another, NEW.founders_undisclosed);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER applications_statistics_delete AFTER DELETE ON applications BEGIN
    INSERT INTO statistics_summary (edition_id, submitted, eligible, progress, women_led, consent_stats, sector,
                                    province, district, age_band, n, fw, fm, fa, fu)
    VALUES (OLD.edition_id, CASE WHEN OLD.submitted_version > 0 THEN 1 ELSE 0 END,
            CASE WHEN OLD.submitted_version > 0 AND OLD.status = 'submitted' THEN 1 ELSE 0 END,
            OLD.round_progress, OLD.women_led, OLD.consent_stats, OLD.sector, OLD.province, OLD.district,
            OLD.ceo_age_band, -1, -OLD.founders_women, -OLD.founders_men, -OLD.founders_another, -OLD.founders_undisclosed);
END;
-- +goose StatementEnd

-- Only a change of what the statistics count moves an application between groups: a draft saved with the
-- same sector and district adds nothing.
-- +goose StatementBegin
CREATE TRIGGER applications_statistics_update AFTER UPDATE OF edition_id, submitted_version, status, round_progress,
    women_led, consent_stats, sector, province, district, ceo_age_band, founders_women, founders_men,
    founders_another, founders_undisclosed ON applications
WHEN OLD.edition_id IS NOT NEW.edition_id OR (OLD.submitted_version > 0) IS NOT (NEW.submitted_version > 0)
    OR (OLD.submitted_version > 0 AND OLD.status = 'submitted') IS NOT (NEW.submitted_version > 0 AND NEW.status = 'submitted')
    OR OLD.round_progress IS NOT NEW.round_progress OR OLD.women_led IS NOT NEW.women_led
    OR OLD.consent_stats IS NOT NEW.consent_stats OR OLD.sector IS NOT NEW.sector OR OLD.province IS NOT NEW.province
    OR OLD.district IS NOT NEW.district OR OLD.ceo_age_band IS NOT NEW.ceo_age_band
    OR OLD.founders_women IS NOT NEW.founders_women OR OLD.founders_men IS NOT NEW.founders_men
    OR OLD.founders_another IS NOT NEW.founders_another OR OLD.founders_undisclosed IS NOT NEW.founders_undisclosed
BEGIN
    INSERT INTO statistics_summary (edition_id, submitted, eligible, progress, women_led, consent_stats, sector,
                                    province, district, age_band, n, fw, fm, fa, fu)
    VALUES (OLD.edition_id, CASE WHEN OLD.submitted_version > 0 THEN 1 ELSE 0 END,
            CASE WHEN OLD.submitted_version > 0 AND OLD.status = 'submitted' THEN 1 ELSE 0 END,
            OLD.round_progress, OLD.women_led, OLD.consent_stats, OLD.sector, OLD.province, OLD.district,
            OLD.ceo_age_band, -1, -OLD.founders_women, -OLD.founders_men, -OLD.founders_another, -OLD.founders_undisclosed),
           (NEW.edition_id, CASE WHEN NEW.submitted_version > 0 THEN 1 ELSE 0 END,
            CASE WHEN NEW.submitted_version > 0 AND NEW.status = 'submitted' THEN 1 ELSE 0 END,
            NEW.round_progress, NEW.women_led, NEW.consent_stats, NEW.sector, NEW.province, NEW.district,
            NEW.ceo_age_band, 1, NEW.founders_women, NEW.founders_men, NEW.founders_another, NEW.founders_undisclosed);
END;
-- +goose StatementEnd

-- The applications already there.
INSERT INTO statistics_summary (edition_id, submitted, eligible, progress, women_led, consent_stats, sector,
                                province, district, age_band, n, fw, fm, fa, fu)
SELECT a.edition_id, CASE WHEN a.submitted_version > 0 THEN 1 ELSE 0 END,
       CASE WHEN a.submitted_version > 0 AND a.status = 'submitted' THEN 1 ELSE 0 END,
       a.round_progress, a.women_led, a.consent_stats, a.sector, a.province, a.district, a.ceo_age_band,
       COUNT(*), SUM(a.founders_women), SUM(a.founders_men), SUM(a.founders_another), SUM(a.founders_undisclosed)
FROM applications a
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;

-- +goose Down
DROP TRIGGER applications_statistics_update;
DROP TRIGGER applications_statistics_delete;
DROP TRIGGER applications_statistics_insert;
DROP TABLE statistics_summary;
