-- +goose Up
-- Issue 8, kept equivalent to postgres/00010_round_progress.sql.
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
CREATE TRIGGER round_entries_progress_insert AFTER INSERT ON round_entries BEGIN
    UPDATE applications SET round_progress = COALESCE((
        SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
        FROM round_entries re JOIN rounds r ON r.id = re.round_id
        WHERE re.application_id = applications.id AND r.edition_id = applications.edition_id), 0)
    WHERE id = NEW.application_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER round_entries_progress_update AFTER UPDATE OF round_id, application_id, outcome ON round_entries BEGIN
    UPDATE applications SET round_progress = COALESCE((
        SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
        FROM round_entries re JOIN rounds r ON r.id = re.round_id
        WHERE re.application_id = applications.id AND r.edition_id = applications.edition_id), 0)
    WHERE id = OLD.application_id;
    UPDATE applications SET round_progress = COALESCE((
        SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
        FROM round_entries re JOIN rounds r ON r.id = re.round_id
        WHERE re.application_id = applications.id AND r.edition_id = applications.edition_id), 0)
    WHERE id = NEW.application_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER round_entries_progress_delete AFTER DELETE ON round_entries BEGIN
    UPDATE applications SET round_progress = COALESCE((
        SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
        FROM round_entries re JOIN rounds r ON r.id = re.round_id
        WHERE re.application_id = applications.id AND r.edition_id = applications.edition_id), 0)
    WHERE id = OLD.application_id;
END;
-- +goose StatementEnd

-- A round's position (or edition) changing moves every one of its entrants.
-- +goose StatementBegin
CREATE TRIGGER rounds_progress_update AFTER UPDATE OF position, edition_id ON rounds
WHEN OLD.position IS NOT NEW.position OR OLD.edition_id IS NOT NEW.edition_id BEGIN
    UPDATE applications SET round_progress = COALESCE((
        SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
        FROM round_entries re JOIN rounds r ON r.id = re.round_id
        WHERE re.application_id = applications.id AND r.edition_id = applications.edition_id), 0)
    WHERE id IN (SELECT application_id FROM round_entries WHERE round_id = NEW.id);
END;
-- +goose StatementEnd

UPDATE applications SET round_progress = COALESCE((
    SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
    FROM round_entries re JOIN rounds r ON r.id = re.round_id
    WHERE re.application_id = applications.id AND r.edition_id = applications.edition_id), 0)
WHERE EXISTS (SELECT 1 FROM round_entries re WHERE re.application_id = applications.id);

-- +goose Down
DROP TRIGGER rounds_progress_update;
DROP TRIGGER round_entries_progress_delete;
DROP TRIGGER round_entries_progress_update;
DROP TRIGGER round_entries_progress_insert;
ALTER TABLE applications DROP COLUMN round_progress;
