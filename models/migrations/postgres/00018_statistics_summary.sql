-- +goose Up
-- Kept equivalent to sqlite/00018_statistics_summary.sql.
--
-- A per-edition summary of the applications for the participation statistics, so that the statistics of an
-- edition of 250,000 applications read a few thousand summary rows instead of grouping every application row
-- (docs/benchmarks.md). The summary is kept current by triggers on applications, in the same transaction as
-- each change, whichever code path writes (create, save, submit, withdraw, intake moves, the round-progress and
-- team-summary triggers of 00009 and 00010, anonymizing, deleting).
--
-- It is a log of signed changes rather than one counter row per group: a trigger only ever INSERTs (+1 for the
-- group an application enters, -1 for the one it leaves), so concurrent submissions never wait on a shared
-- summary row the way they wait on the edition's receipt counter. Reading sums the rows of an edition by
-- group; the reader folds them into one row per group when they have piled up (Store.StatisticsSummaryRows).
-- Awards and what live publications announced are not in it: they concern few applications and are applied
-- on reading.
CREATE TABLE statistics_summary (
    id            BIGSERIAL PRIMARY KEY,
    edition_id    BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    submitted     SMALLINT NOT NULL,
    eligible      SMALLINT NOT NULL,
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

-- The applications a statement changed, as they were (olds) and as they are (news): -1 for the groups they
-- leave, +1 for those they enter, one row per group whose counts changed (a save that moves nothing the
-- statistics count adds nothing).
-- +goose StatementBegin
CREATE FUNCTION statistics_summary_record(olds applications[], news applications[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO statistics_summary (edition_id, submitted, eligible, progress, women_led, consent_stats, sector,
                                    province, district, age_band, n, fw, fm, fa, fu)
    SELECT d.edition_id, d.submitted, d.eligible, d.progress, d.women_led, d.consent_stats, d.sector, d.province,
           d.district, d.age_band, SUM(d.n), SUM(d.fw), SUM(d.fm), SUM(d.fa), SUM(d.fu)
    FROM (
        SELECT o.edition_id, CASE WHEN o.submitted_version > 0 THEN 1 ELSE 0 END AS submitted,
               CASE WHEN o.submitted_version > 0 AND o.status = 'submitted' THEN 1 ELSE 0 END AS eligible,
               o.round_progress AS progress, o.women_led, o.consent_stats, o.sector, o.province, o.district,
               o.ceo_age_band AS age_band, -1 AS n, -o.founders_women AS fw, -o.founders_men AS fm,
               -o.founders_another AS fa, -o.founders_undisclosed AS fu
        FROM unnest(olds) o
        UNION ALL
        SELECT a.edition_id, CASE WHEN a.submitted_version > 0 THEN 1 ELSE 0 END,
               CASE WHEN a.submitted_version > 0 AND a.status = 'submitted' THEN 1 ELSE 0 END,
               a.round_progress, a.women_led, a.consent_stats, a.sector, a.province, a.district, a.ceo_age_band,
               1, a.founders_women, a.founders_men, a.founders_another, a.founders_undisclosed
        FROM unnest(news) a
    ) d
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    HAVING SUM(d.n) <> 0 OR SUM(d.fw) <> 0 OR SUM(d.fm) <> 0 OR SUM(d.fa) <> 0 OR SUM(d.fu) <> 0;
$$;
-- +goose StatementEnd

-- Statement-level with transition tables: moving 30,000 applications in one statement (entering a round
-- updates their round_progress) adds one row per group changed, not 60,000.
-- +goose StatementBegin
CREATE FUNCTION applications_statistics_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM statistics_summary_record('{}', ARRAY(SELECT ROW(a.*)::applications FROM new_apps a));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM statistics_summary_record(ARRAY(SELECT ROW(o.*)::applications FROM old_apps o),
                                         ARRAY(SELECT ROW(a.*)::applications FROM new_apps a));
    ELSE
        PERFORM statistics_summary_record(ARRAY(SELECT ROW(o.*)::applications FROM old_apps o), '{}');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER applications_statistics_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_apps FOR EACH STATEMENT EXECUTE FUNCTION applications_statistics_summary();
CREATE TRIGGER applications_statistics_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_apps NEW TABLE AS new_apps FOR EACH STATEMENT EXECUTE FUNCTION applications_statistics_summary();
CREATE TRIGGER applications_statistics_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_apps FOR EACH STATEMENT EXECUTE FUNCTION applications_statistics_summary();

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
DROP TRIGGER applications_statistics_delete ON applications;
DROP TRIGGER applications_statistics_update ON applications;
DROP TRIGGER applications_statistics_insert ON applications;
DROP FUNCTION applications_statistics_summary();
DROP FUNCTION statistics_summary_record(applications[], applications[]);
DROP TABLE statistics_summary;
