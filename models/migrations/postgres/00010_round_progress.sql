-- +goose Up
-- Issue 8, kept equivalent to sqlite/00010_round_progress.sql.
--
-- Each application's furthest round kept on its row for the participation statistics, as 00009 keeps its
-- team: round_progress = 2 × the position of the furthest round of its edition it entered, plus 1 when it
-- advanced from that round (0: no round entry). Pre-aggregating round_entries ⋈ rounds for 100,000
-- applications and joining it back was ≈ 40% of the statistics query (docs/benchmarks.md). The triggers below
-- keep it right on every insert, update and delete of a round entry (deleting a round deletes its entries,
-- which fires them) and on a round moved to another position, whichever code path writes them, in the same
-- transaction.
ALTER TABLE applications ADD COLUMN round_progress INTEGER NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION applications_summarize_rounds(apps BIGINT[]) RETURNS void LANGUAGE sql AS $$
    UPDATE applications a SET round_progress = COALESCE((
        SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
        FROM round_entries re JOIN rounds r ON r.id = re.round_id
        WHERE re.application_id = a.id AND r.edition_id = a.edition_id), 0)
    WHERE a.id = ANY (apps);
$$;
-- +goose StatementEnd

-- Statement-level triggers with transition tables: entering 30,000 applications into a round in one
-- statement updates each of them once.
-- +goose StatementBegin
CREATE FUNCTION round_entries_summarize() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM applications_summarize_rounds(ARRAY(SELECT DISTINCT application_id FROM new_entries));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM applications_summarize_rounds(ARRAY(SELECT application_id FROM old_entries
                                                    UNION SELECT application_id FROM new_entries));
    ELSE
        PERFORM applications_summarize_rounds(ARRAY(SELECT DISTINCT application_id FROM old_entries));
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER round_entries_progress_insert AFTER INSERT ON round_entries
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION round_entries_summarize();
CREATE TRIGGER round_entries_progress_update AFTER UPDATE ON round_entries
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION round_entries_summarize();
CREATE TRIGGER round_entries_progress_delete AFTER DELETE ON round_entries
    REFERENCING OLD TABLE AS old_entries FOR EACH STATEMENT EXECUTE FUNCTION round_entries_summarize();

-- A round's position (or edition) changing moves every one of its entrants; row-level, since transition
-- tables cannot go with a column list, and rounds change rarely.
-- +goose StatementBegin
CREATE FUNCTION rounds_summarize() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_summarize_rounds(ARRAY(SELECT application_id FROM round_entries WHERE round_id = NEW.id));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER rounds_progress_update AFTER UPDATE OF position, edition_id ON rounds FOR EACH ROW
    WHEN (OLD.position IS DISTINCT FROM NEW.position OR OLD.edition_id IS DISTINCT FROM NEW.edition_id)
    EXECUTE FUNCTION rounds_summarize();

UPDATE applications a SET round_progress = p.progress
FROM (SELECT re.application_id, MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END) AS progress
      FROM round_entries re JOIN rounds r ON r.id = re.round_id JOIN applications a2 ON a2.id = re.application_id
      WHERE r.edition_id = a2.edition_id
      GROUP BY re.application_id) p
WHERE a.id = p.application_id;

-- +goose Down
DROP TRIGGER rounds_progress_update ON rounds;
DROP TRIGGER round_entries_progress_delete ON round_entries;
DROP TRIGGER round_entries_progress_update ON round_entries;
DROP TRIGGER round_entries_progress_insert ON round_entries;
DROP FUNCTION rounds_summarize();
DROP FUNCTION round_entries_summarize();
DROP FUNCTION applications_summarize_rounds(BIGINT[]);
ALTER TABLE applications DROP COLUMN round_progress;
