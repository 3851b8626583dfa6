-- +goose Up
-- Kept equivalent to sqlite/00025_application_triggers_skip_unchanged.sql.
--
-- The statistics summary (00018) and the intake counts (00021) are kept by statement-level triggers on every
-- UPDATE of applications. An update that changes nothing they count (a draft's text, a receipt number) added
-- no row already (the groups' sums are zero), but still grouped the rows it changed: ≈ 0.5 ms per statement,
-- paid by every draft save and, inside the edition's receipt-counter lock, by every first submission. Such an
-- update now returns at once, as SQLite's row triggers do with their WHEN clauses.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION applications_statistics_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM statistics_summary_record('{}', ARRAY(SELECT ROW(a.*)::applications FROM new_apps a));
    ELSIF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (
            SELECT 1 FROM old_apps o JOIN new_apps a ON a.id = o.id
            WHERE (o.edition_id, o.submitted_version > 0, o.submitted_version > 0 AND o.status = 'submitted',
                   o.round_progress, o.women_led, o.consent_stats, o.sector, o.province, o.district,
                   o.ceo_age_band, o.founders_women, o.founders_men, o.founders_another, o.founders_undisclosed)
               IS DISTINCT FROM
                  (a.edition_id, a.submitted_version > 0, a.submitted_version > 0 AND a.status = 'submitted',
                   a.round_progress, a.women_led, a.consent_stats, a.sector, a.province, a.district,
                   a.ceo_age_band, a.founders_women, a.founders_men, a.founders_another, a.founders_undisclosed)) THEN
            RETURN NULL;
        END IF;
        PERFORM statistics_summary_record(ARRAY(SELECT ROW(o.*)::applications FROM old_apps o),
                                         ARRAY(SELECT ROW(a.*)::applications FROM new_apps a));
    ELSE
        PERFORM statistics_summary_record(ARRAY(SELECT ROW(o.*)::applications FROM old_apps o), '{}');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION application_counts_record() RETURNS trigger LANGUAGE plpgsql AS $$
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
        IF NOT EXISTS (
            SELECT 1 FROM old_apps o JOIN new_apps a ON a.id = o.id
            WHERE (o.edition_id, o.status, o.sector, o.district, o.stage, o.women_led) IS DISTINCT FROM (a.edition_id, a.status, a.sector, a.district, a.stage, a.women_led)) THEN
            RETURN NULL;
        END IF;
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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION applications_statistics_summary() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION application_counts_record() RETURNS trigger LANGUAGE plpgsql AS $$
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
