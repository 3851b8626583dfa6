-- +goose Up
-- Kept equivalent to sqlite/00024_judge_progress.sql.
--
-- Each judge's work in each round, counted as it is written: the organizer's cockpit, progress and judges pages
-- read these counts instead of joining a round's 750,000 assignments with its 750,000 scores (docs/benchmarks.md,
-- "A continental edition on PostgreSQL"). What is counted is what Store.CountRoundJudgeProgress counts: an
-- assignment counts when its application is still an entry of the round and is neither withdrawn nor set aside;
-- a counted assignment's score is submitted or a draft. loads counts every assignment, whatever its application
-- (the assignment page's load per judge).
--
-- As the statistics summary (00018) and the intake counts (00021), it is a log of signed changes: triggers only
-- ever INSERT, in the same transaction as the change, so judges submitting at once never wait on a shared row;
-- the reader sums a round's rows by judge and folds them when they have piled up (Store.foldJudgeProgress).
--
-- Each trigger counts the change of its own table against the other tables as they are when it fires, which is
-- right as long as the changes are counted in the order they are made. Two cascades would break that order,
-- and are handled apart:
--   * a deleted round cascades to its entries, assignments and scores: their triggers count nothing for a round
--     that no longer exists (the join on rounds), and the round's rows here go with it (the foreign key);
--   * a deleted application cascades to its entries, assignments and scores, whose triggers fire after the
--     application is gone: it takes its counted work away *before* it is deleted (a BEFORE DELETE trigger), and
--     the cascades then count nothing for an application that no longer exists.
-- Entries are added and removed, never moved between rounds or applications; updates of their outcome or
-- position change nothing counted here.
CREATE TABLE judge_progress (
    id        BIGSERIAL PRIMARY KEY,
    round_id  BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    judge_id  BIGINT NOT NULL,
    loads     INTEGER NOT NULL,
    assigned  INTEGER NOT NULL,
    submitted INTEGER NOT NULL,
    drafts    INTEGER NOT NULL
);
CREATE INDEX judge_progress_round ON judge_progress (round_id, judge_id);

-- The times the progress page shows beside the counts (a judge's last score, the latest of it and of their
-- unscored assignments) are maxima, which a log of signed changes cannot keep: they are read per judge from the
-- newest end of these indexes, a few rows each (Store.RoundJudgeProgress).
CREATE INDEX scores_round_judge_updated ON scores (round_id, judge_id, updated_at);
CREATE INDEX assignments_round_judge_created ON assignments (round_id, judge_id, created_at);

-- A change as the triggers pass it on: +1 for a row as it is now, -1 for a row as it was; status is a score's.
CREATE TYPE judge_progress_key AS (sign INTEGER, round_id BIGINT, application_id BIGINT, judge_id BIGINT, status TEXT);

-- The helpers below run their statement with EXECUTE so that it is planned for the keys it is given, and without
-- nested loops for more than 100,000 keys: a judge's score is a few index probes, while removing a round's
-- 750,000 scores in one statement needs hash joins, which the planner does not choose on its own (it takes the
-- join of the keys with the assignments on three columns for a handful of rows: 21 s instead of a few).
-- Assignments: every one is a load; a counted one is assigned, with its score as it stands.
-- +goose StatementBegin
CREATE FUNCTION judge_progress_assignments(keys judge_progress_key[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    nestloop TEXT := current_setting('enable_nestloop');
BEGIN
    IF cardinality(keys) = 0 THEN
        RETURN;
    ELSIF cardinality(keys) > 100000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
    END IF;
    EXECUTE $q$
        INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
        SELECT x.round_id, x.judge_id, SUM(x.sign), SUM(x.sign * c.counted),
               SUM(x.sign * c.counted * CASE WHEN s.status = 'submitted' THEN 1 ELSE 0 END),
               SUM(x.sign * c.counted * CASE WHEN s.status <> 'submitted' THEN 1 ELSE 0 END)
        FROM unnest($1) x
        JOIN rounds r ON r.id = x.round_id
        LEFT JOIN round_entries e ON e.round_id = x.round_id AND e.application_id = x.application_id
        LEFT JOIN applications p ON p.id = x.application_id AND p.status NOT IN ('withdrawn', 'ineligible')
        LEFT JOIN scores s ON s.round_id = x.round_id AND s.application_id = x.application_id AND s.judge_id = x.judge_id
        CROSS JOIN LATERAL (SELECT CASE WHEN e.id IS NOT NULL AND p.id IS NOT NULL THEN 1 ELSE 0 END AS counted) c
        GROUP BY x.round_id, x.judge_id
        HAVING SUM(x.sign) <> 0 OR SUM(x.sign * c.counted) <> 0
    $q$ USING keys;
    PERFORM set_config('enable_nestloop', nestloop, true);
END;
$$;
-- +goose StatementEnd

-- Scores: a score of a counted assignment is submitted or a draft.
-- +goose StatementBegin
CREATE FUNCTION judge_progress_scores(keys judge_progress_key[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    nestloop TEXT := current_setting('enable_nestloop');
BEGIN
    IF cardinality(keys) = 0 THEN
        RETURN;
    ELSIF cardinality(keys) > 100000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
    END IF;
    EXECUTE $q$
        INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
        SELECT x.round_id, x.judge_id, 0, 0, SUM(CASE WHEN x.status = 'submitted' THEN x.sign ELSE 0 END),
               SUM(CASE WHEN x.status <> 'submitted' THEN x.sign ELSE 0 END)
        FROM unnest($1) x
        JOIN rounds r ON r.id = x.round_id
        JOIN assignments a ON a.round_id = x.round_id AND a.application_id = x.application_id AND a.judge_id = x.judge_id
        JOIN round_entries e ON e.round_id = x.round_id AND e.application_id = x.application_id
        JOIN applications p ON p.id = x.application_id AND p.status NOT IN ('withdrawn', 'ineligible')
        GROUP BY x.round_id, x.judge_id
        HAVING SUM(CASE WHEN x.status = 'submitted' THEN x.sign ELSE 0 END) <> 0
            OR SUM(CASE WHEN x.status <> 'submitted' THEN x.sign ELSE 0 END) <> 0
    $q$ USING keys;
    PERFORM set_config('enable_nestloop', nestloop, true);
END;
$$;
-- +goose StatementEnd

-- An application's work in a round (its entry added or removed), or in every round it entered (it is withdrawn,
-- set aside, taken back or deleted; keys without a round): its assignments there, with their scores. Counted
-- only while the application is neither withdrawn nor set aside, unless any_status (an application whose status
-- just changed, or one about to be deleted, whose trigger knows which way it goes).
-- +goose StatementBegin
CREATE FUNCTION judge_progress_work(keys judge_progress_key[], any_status BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    nestloop TEXT := current_setting('enable_nestloop');
BEGIN
    IF cardinality(keys) = 0 THEN
        RETURN;
    ELSIF cardinality(keys) > 100000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
    END IF;
    EXECUTE $q$
        INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
        SELECT a.round_id, a.judge_id, 0, SUM(x.sign),
               SUM(CASE WHEN s.status = 'submitted' THEN x.sign ELSE 0 END),
               SUM(CASE WHEN s.status <> 'submitted' THEN x.sign ELSE 0 END)
        FROM unnest($1) x
        LEFT JOIN round_entries e ON x.round_id IS NULL AND e.application_id = x.application_id
        JOIN rounds r ON r.id = COALESCE(x.round_id, e.round_id)
        JOIN assignments a ON a.round_id = r.id AND a.application_id = x.application_id
        LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id
        WHERE $2 OR EXISTS (SELECT 1 FROM applications p WHERE p.id = x.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
        GROUP BY a.round_id, a.judge_id
        HAVING SUM(x.sign) <> 0
    $q$ USING keys, any_status;
    PERFORM set_config('enable_nestloop', nestloop, true);
END;
$$;
-- +goose StatementEnd

-- How many of a round's entries (still in it: neither withdrawn nor set aside) have how many judges assigned,
-- for the figures of the assignment and progress pages (entries, and those with fewer judges than the round's
-- k, which the organizer may change at any time): a log of signed changes as judge_progress, -1 for the number
-- of judges an entry leaves and +1 for the one it reaches, summed on reading (Store.RoundEntryCounts).
CREATE TABLE round_entry_judges (
    id       BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    judges   INTEGER NOT NULL,
    n        INTEGER NOT NULL
);
CREATE INDEX round_entry_judges_round ON round_entry_judges (round_id);

-- Assignments added or removed: each counted entry moves from the number of judges it had (now less what the
-- statement changed) to the number it has now.
-- +goose StatementBegin
CREATE FUNCTION entry_judges_assignments(keys judge_progress_key[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    nestloop TEXT := current_setting('enable_nestloop');
BEGIN
    IF cardinality(keys) = 0 THEN
        RETURN;
    ELSIF cardinality(keys) > 100000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
    END IF;
    EXECUTE $q$
        INSERT INTO round_entry_judges (round_id, judges, n)
        SELECT d.round_id, v.judges, SUM(v.n)
        FROM (
            SELECT x.round_id, SUM(x.sign) AS delta,
                   (SELECT COUNT(*) FROM assignments a WHERE a.round_id = x.round_id AND a.application_id = x.application_id) AS now
            FROM unnest($1) x
            JOIN rounds r ON r.id = x.round_id
            JOIN round_entries e ON e.round_id = x.round_id AND e.application_id = x.application_id
            JOIN applications p ON p.id = x.application_id AND p.status NOT IN ('withdrawn', 'ineligible')
            GROUP BY x.round_id, x.application_id
            HAVING SUM(x.sign) <> 0
        ) d
        CROSS JOIN LATERAL (VALUES (d.now - d.delta, -1), (d.now, 1)) v (judges, n)
        GROUP BY d.round_id, v.judges
        HAVING SUM(v.n) <> 0
    $q$ USING keys;
    PERFORM set_config('enable_nestloop', nestloop, true);
END;
$$;
-- +goose StatementEnd

-- An entry added or removed, or an application's entries (keys without a round) counted again or no longer: each
-- at the number of judges it has. Only while the application is in the round unless any_status, as
-- judge_progress_work.
-- +goose StatementBegin
CREATE FUNCTION entry_judges_entries(keys judge_progress_key[], any_status BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    nestloop TEXT := current_setting('enable_nestloop');
BEGIN
    IF cardinality(keys) = 0 THEN
        RETURN;
    ELSIF cardinality(keys) > 100000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
    END IF;
    EXECUTE $q$
        INSERT INTO round_entry_judges (round_id, judges, n)
        SELECT d.round_id, d.judges, SUM(d.sign)
        FROM (
            SELECT r.id AS round_id, x.sign,
                   (SELECT COUNT(*) FROM assignments a WHERE a.round_id = r.id AND a.application_id = x.application_id) AS judges
            FROM unnest($1) x
            LEFT JOIN round_entries e ON x.round_id IS NULL AND e.application_id = x.application_id
            JOIN rounds r ON r.id = COALESCE(x.round_id, e.round_id)
            WHERE $2 OR EXISTS (SELECT 1 FROM applications p WHERE p.id = x.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
        ) d
        GROUP BY d.round_id, d.judges
        HAVING SUM(d.sign) <> 0
    $q$ USING keys, any_status;
    PERFORM set_config('enable_nestloop', nestloop, true);
END;
$$;
-- +goose StatementEnd

-- Statement-level with transition tables: the 750,000 assignments of a continental round, written 20,000 a
-- statement, add one row per judge and statement, not one per assignment.
-- +goose StatementBegin
CREATE FUNCTION assignments_judge_progress() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys judge_progress_key[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        keys := ARRAY(SELECT ROW(1, n.round_id, n.application_id, n.judge_id, NULL)::judge_progress_key FROM new_rows n);
    ELSIF TG_OP = 'DELETE' THEN
        keys := ARRAY(SELECT ROW(-1, o.round_id, o.application_id, o.judge_id, NULL)::judge_progress_key FROM old_rows o);
    ELSE
        keys := ARRAY(
            SELECT ROW(-1, o.round_id, o.application_id, o.judge_id, NULL)::judge_progress_key
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.round_id, o.application_id, o.judge_id) IS DISTINCT FROM (n.round_id, n.application_id, n.judge_id)
            UNION ALL
            SELECT ROW(1, n.round_id, n.application_id, n.judge_id, NULL)::judge_progress_key
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.round_id, o.application_id, o.judge_id) IS DISTINCT FROM (n.round_id, n.application_id, n.judge_id));
    END IF;
    PERFORM judge_progress_assignments(keys);
    PERFORM entry_judges_assignments(keys);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER assignments_judge_progress_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_judge_progress();
CREATE TRIGGER assignments_judge_progress_update AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_judge_progress();
CREATE TRIGGER assignments_judge_progress_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignments_judge_progress();

-- Scores: only a score added or removed, or a change of its status or of whose score it is, moves a count; saving
-- a draft's values or comment adds nothing.
-- +goose StatementBegin
CREATE FUNCTION scores_judge_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM judge_progress_scores(ARRAY(
            SELECT ROW(1, n.round_id, n.application_id, n.judge_id, n.status)::judge_progress_key FROM new_rows n));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM judge_progress_scores(ARRAY(
            SELECT ROW(-1, o.round_id, o.application_id, o.judge_id, o.status)::judge_progress_key FROM old_rows o));
    ELSE
        PERFORM judge_progress_scores(ARRAY(
            SELECT ROW(-1, o.round_id, o.application_id, o.judge_id, o.status)::judge_progress_key
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.round_id, o.application_id, o.judge_id, o.status) IS DISTINCT FROM (n.round_id, n.application_id, n.judge_id, n.status)
            UNION ALL
            SELECT ROW(1, n.round_id, n.application_id, n.judge_id, n.status)::judge_progress_key
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.round_id, o.application_id, o.judge_id, o.status) IS DISTINCT FROM (n.round_id, n.application_id, n.judge_id, n.status)));
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER scores_judge_progress_insert AFTER INSERT ON scores
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_judge_progress();
CREATE TRIGGER scores_judge_progress_update AFTER UPDATE ON scores
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_judge_progress();
CREATE TRIGGER scores_judge_progress_delete AFTER DELETE ON scores
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_judge_progress();

-- Entries: an application entering a round (or leaving it) brings its assignments there into the counts.
-- +goose StatementBegin
CREATE FUNCTION round_entries_judge_progress() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys judge_progress_key[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        keys := ARRAY(SELECT ROW(1, n.round_id, n.application_id, NULL, NULL)::judge_progress_key FROM new_rows n);
    ELSE
        keys := ARRAY(SELECT ROW(-1, o.round_id, o.application_id, NULL, NULL)::judge_progress_key FROM old_rows o);
    END IF;
    PERFORM judge_progress_work(keys, false);
    PERFORM entry_judges_entries(keys, false);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER round_entries_judge_progress_insert AFTER INSERT ON round_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_entries_judge_progress();
CREATE TRIGGER round_entries_judge_progress_delete AFTER DELETE ON round_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION round_entries_judge_progress();

-- An application withdrawn or set aside takes its work out of every round it entered; taken back, it brings it
-- back. Transition tables allow no column list, so every update of applications comes here and is filtered.
-- +goose StatementBegin
CREATE FUNCTION applications_judge_progress() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys judge_progress_key[];
BEGIN
    keys := ARRAY(
        SELECT ROW(CASE WHEN n.status IN ('withdrawn', 'ineligible') THEN -1 ELSE 1 END, NULL, n.id, NULL, NULL)::judge_progress_key
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.status IN ('withdrawn', 'ineligible')) <> (n.status IN ('withdrawn', 'ineligible')));
    IF cardinality(keys) > 0 THEN
        PERFORM judge_progress_work(keys, true);
        PERFORM entry_judges_entries(keys, true);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_judge_progress AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_judge_progress();

-- An application about to be deleted takes its work away while its entries, assignments and scores are still
-- there (see the top): row by row, which only deleting an account or an edition does.
-- +goose StatementBegin
CREATE FUNCTION applications_judge_progress_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status NOT IN ('withdrawn', 'ineligible') THEN
        PERFORM judge_progress_work(ARRAY[ROW(-1, NULL, OLD.id, NULL, NULL)::judge_progress_key], true);
        PERFORM entry_judges_entries(ARRAY[ROW(-1, NULL, OLD.id, NULL, NULL)::judge_progress_key], true);
    END IF;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_judge_progress_delete BEFORE DELETE ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_judge_progress_delete();

-- The work already there.
INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
SELECT a.round_id, a.judge_id, COUNT(*), SUM(c.counted),
       SUM(c.counted * CASE WHEN s.status = 'submitted' THEN 1 ELSE 0 END),
       SUM(c.counted * CASE WHEN s.status <> 'submitted' THEN 1 ELSE 0 END)
FROM assignments a
LEFT JOIN round_entries e ON e.round_id = a.round_id AND e.application_id = a.application_id
LEFT JOIN applications p ON p.id = a.application_id AND p.status NOT IN ('withdrawn', 'ineligible')
LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id
CROSS JOIN LATERAL (SELECT CASE WHEN e.id IS NOT NULL AND p.id IS NOT NULL THEN 1 ELSE 0 END AS counted) c
GROUP BY a.round_id, a.judge_id;

INSERT INTO round_entry_judges (round_id, judges, n)
SELECT e.round_id, COALESCE(c.judges, 0), COUNT(*)
FROM round_entries e
JOIN applications p ON p.id = e.application_id AND p.status NOT IN ('withdrawn', 'ineligible')
LEFT JOIN (SELECT round_id, application_id, COUNT(*) AS judges FROM assignments GROUP BY round_id, application_id) c
  ON c.round_id = e.round_id AND c.application_id = e.application_id
GROUP BY e.round_id, COALESCE(c.judges, 0);

-- +goose Down
DROP TRIGGER applications_judge_progress_delete ON applications;
DROP FUNCTION applications_judge_progress_delete();
DROP TRIGGER applications_judge_progress ON applications;
DROP FUNCTION applications_judge_progress();
DROP TRIGGER round_entries_judge_progress_delete ON round_entries;
DROP TRIGGER round_entries_judge_progress_insert ON round_entries;
DROP FUNCTION round_entries_judge_progress();
DROP TRIGGER scores_judge_progress_delete ON scores;
DROP TRIGGER scores_judge_progress_update ON scores;
DROP TRIGGER scores_judge_progress_insert ON scores;
DROP FUNCTION scores_judge_progress();
DROP TRIGGER assignments_judge_progress_delete ON assignments;
DROP TRIGGER assignments_judge_progress_update ON assignments;
DROP TRIGGER assignments_judge_progress_insert ON assignments;
DROP FUNCTION assignments_judge_progress();
DROP FUNCTION entry_judges_entries(judge_progress_key[], BOOLEAN);
DROP FUNCTION entry_judges_assignments(judge_progress_key[]);
DROP TABLE round_entry_judges;
DROP FUNCTION judge_progress_work(judge_progress_key[], BOOLEAN);
DROP FUNCTION judge_progress_scores(judge_progress_key[]);
DROP FUNCTION judge_progress_assignments(judge_progress_key[]);
DROP TYPE judge_progress_key;
DROP INDEX assignments_round_judge_created;
DROP INDEX scores_round_judge_updated;
DROP TABLE judge_progress;
