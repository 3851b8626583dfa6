-- +goose Up
-- Kept equivalent to postgres/00024_judge_progress.sql, which says what is counted and why: each judge's work in
-- each round, as a log of signed changes written by triggers in the same transaction as each change, summed and
-- folded on reading. SQLite's triggers are row by row and fire as each row changes, in the order the changes are
-- made; a deleted round's cascades count nothing for it (the round is gone when they fire) and a deleted
-- application takes its work away before it goes, as on PostgreSQL.
CREATE TABLE judge_progress (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    judge_id  INTEGER NOT NULL,
    loads     INTEGER NOT NULL,
    assigned  INTEGER NOT NULL,
    submitted INTEGER NOT NULL,
    drafts    INTEGER NOT NULL
);
CREATE INDEX judge_progress_round ON judge_progress (round_id, judge_id);

-- How many of a round's entries have how many judges assigned (see the PostgreSQL migration).
CREATE TABLE round_entry_judges (
    id       INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    judges   INTEGER NOT NULL,
    n        INTEGER NOT NULL
);
CREATE INDEX round_entry_judges_round ON round_entry_judges (round_id);

CREATE INDEX scores_round_judge_updated ON scores (round_id, judge_id, updated_at);
CREATE INDEX assignments_round_judge_created ON assignments (round_id, judge_id, created_at);

-- Assignments: every one is a load; a counted one (its application still an entry of the round, neither
-- withdrawn nor set aside) is assigned, with its score as it stands.
-- +goose StatementBegin
CREATE TRIGGER assignments_judge_progress_insert AFTER INSERT ON assignments
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = NEW.round_id)
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT NEW.round_id, NEW.judge_id, 1, c.counted, c.counted * (c.status IS 'submitted'),
           c.counted * (c.status IS NOT NULL AND c.status <> 'submitted')
    FROM (SELECT (EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = NEW.round_id AND e.application_id = NEW.application_id)
                  AND EXISTS (SELECT 1 FROM applications p WHERE p.id = NEW.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))) AS counted,
                 (SELECT s.status FROM scores s WHERE s.round_id = NEW.round_id AND s.application_id = NEW.application_id
                  AND s.judge_id = NEW.judge_id) AS status) c;
    INSERT INTO round_entry_judges (round_id, judges, n)
    SELECT NEW.round_id, c.judges + v.d, v.n
    FROM (SELECT COUNT(*) AS judges FROM assignments a WHERE a.round_id = NEW.round_id AND a.application_id = NEW.application_id) c, (SELECT -1 AS d, -1 AS n UNION ALL SELECT 0, 1) v
    WHERE EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = NEW.round_id AND e.application_id = NEW.application_id)
      AND EXISTS (SELECT 1 FROM applications p WHERE p.id = NEW.application_id AND p.status NOT IN ('withdrawn', 'ineligible'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assignments_judge_progress_delete AFTER DELETE ON assignments
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id)
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT OLD.round_id, OLD.judge_id, -1, -c.counted, -c.counted * (c.status IS 'submitted'),
           -c.counted * (c.status IS NOT NULL AND c.status <> 'submitted')
    FROM (SELECT (EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = OLD.round_id AND e.application_id = OLD.application_id)
                  AND EXISTS (SELECT 1 FROM applications p WHERE p.id = OLD.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))) AS counted,
                 (SELECT s.status FROM scores s WHERE s.round_id = OLD.round_id AND s.application_id = OLD.application_id
                  AND s.judge_id = OLD.judge_id) AS status) c;
    INSERT INTO round_entry_judges (round_id, judges, n)
    SELECT OLD.round_id, c.judges + v.d, v.n
    FROM (SELECT COUNT(*) AS judges FROM assignments a WHERE a.round_id = OLD.round_id AND a.application_id = OLD.application_id) c, (SELECT 1 AS d, -1 AS n UNION ALL SELECT 0, 1) v
    WHERE EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = OLD.round_id AND e.application_id = OLD.application_id)
      AND EXISTS (SELECT 1 FROM applications p WHERE p.id = OLD.application_id AND p.status NOT IN ('withdrawn', 'ineligible'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assignments_judge_progress_update AFTER UPDATE OF round_id, application_id, judge_id ON assignments
WHEN OLD.round_id IS NOT NEW.round_id OR OLD.application_id IS NOT NEW.application_id OR OLD.judge_id IS NOT NEW.judge_id
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT OLD.round_id, OLD.judge_id, -1, -c.counted, -c.counted * (c.status IS 'submitted'),
           -c.counted * (c.status IS NOT NULL AND c.status <> 'submitted')
    FROM (SELECT (EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = OLD.round_id AND e.application_id = OLD.application_id)
                  AND EXISTS (SELECT 1 FROM applications p WHERE p.id = OLD.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))) AS counted,
                 (SELECT s.status FROM scores s WHERE s.round_id = OLD.round_id AND s.application_id = OLD.application_id
                  AND s.judge_id = OLD.judge_id) AS status) c
    WHERE EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id);
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT NEW.round_id, NEW.judge_id, 1, c.counted, c.counted * (c.status IS 'submitted'),
           c.counted * (c.status IS NOT NULL AND c.status <> 'submitted')
    FROM (SELECT (EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = NEW.round_id AND e.application_id = NEW.application_id)
                  AND EXISTS (SELECT 1 FROM applications p WHERE p.id = NEW.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))) AS counted,
                 (SELECT s.status FROM scores s WHERE s.round_id = NEW.round_id AND s.application_id = NEW.application_id
                  AND s.judge_id = NEW.judge_id) AS status) c
    WHERE EXISTS (SELECT 1 FROM rounds WHERE id = NEW.round_id);
    INSERT INTO round_entry_judges (round_id, judges, n)
    SELECT OLD.round_id, c.judges + v.d, v.n
    FROM (SELECT COUNT(*) AS judges FROM assignments a WHERE a.round_id = OLD.round_id AND a.application_id = OLD.application_id) c, (SELECT 1 AS d, -1 AS n UNION ALL SELECT 0, 1) v
    WHERE EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = OLD.round_id AND e.application_id = OLD.application_id)
      AND EXISTS (SELECT 1 FROM applications p WHERE p.id = OLD.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
      AND (OLD.round_id IS NOT NEW.round_id OR OLD.application_id IS NOT NEW.application_id)
      AND EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id);
    INSERT INTO round_entry_judges (round_id, judges, n)
    SELECT NEW.round_id, c.judges + v.d, v.n
    FROM (SELECT COUNT(*) AS judges FROM assignments a WHERE a.round_id = NEW.round_id AND a.application_id = NEW.application_id) c, (SELECT -1 AS d, -1 AS n UNION ALL SELECT 0, 1) v
    WHERE EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = NEW.round_id AND e.application_id = NEW.application_id)
      AND EXISTS (SELECT 1 FROM applications p WHERE p.id = NEW.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
      AND (OLD.round_id IS NOT NEW.round_id OR OLD.application_id IS NOT NEW.application_id)
      AND EXISTS (SELECT 1 FROM rounds WHERE id = NEW.round_id);
END;
-- +goose StatementEnd

-- Scores: a score of a counted assignment is submitted or a draft; saving a draft's values or comment adds
-- nothing.
-- +goose StatementBegin
CREATE TRIGGER scores_judge_progress_insert AFTER INSERT ON scores
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = NEW.round_id)
    AND EXISTS (SELECT 1 FROM assignments a WHERE a.round_id = NEW.round_id AND a.application_id = NEW.application_id AND a.judge_id = NEW.judge_id)
    AND EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = NEW.round_id AND e.application_id = NEW.application_id)
    AND EXISTS (SELECT 1 FROM applications p WHERE p.id = NEW.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    VALUES (NEW.round_id, NEW.judge_id, 0, 0, NEW.status = 'submitted', NEW.status <> 'submitted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER scores_judge_progress_delete AFTER DELETE ON scores
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id)
    AND EXISTS (SELECT 1 FROM assignments a WHERE a.round_id = OLD.round_id AND a.application_id = OLD.application_id AND a.judge_id = OLD.judge_id)
    AND EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = OLD.round_id AND e.application_id = OLD.application_id)
    AND EXISTS (SELECT 1 FROM applications p WHERE p.id = OLD.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    VALUES (OLD.round_id, OLD.judge_id, 0, 0, -(OLD.status = 'submitted'), -(OLD.status <> 'submitted'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER scores_judge_progress_update AFTER UPDATE OF round_id, application_id, judge_id, status ON scores
WHEN OLD.round_id IS NOT NEW.round_id OR OLD.application_id IS NOT NEW.application_id OR OLD.judge_id IS NOT NEW.judge_id
    OR OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT OLD.round_id, OLD.judge_id, 0, 0, -(OLD.status = 'submitted'), -(OLD.status <> 'submitted')
    WHERE EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id)
      AND EXISTS (SELECT 1 FROM assignments a WHERE a.round_id = OLD.round_id AND a.application_id = OLD.application_id AND a.judge_id = OLD.judge_id)
      AND EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = OLD.round_id AND e.application_id = OLD.application_id)
      AND EXISTS (SELECT 1 FROM applications p WHERE p.id = OLD.application_id AND p.status NOT IN ('withdrawn', 'ineligible'));
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT NEW.round_id, NEW.judge_id, 0, 0, NEW.status = 'submitted', NEW.status <> 'submitted'
    WHERE EXISTS (SELECT 1 FROM rounds WHERE id = NEW.round_id)
      AND EXISTS (SELECT 1 FROM assignments a WHERE a.round_id = NEW.round_id AND a.application_id = NEW.application_id AND a.judge_id = NEW.judge_id)
      AND EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = NEW.round_id AND e.application_id = NEW.application_id)
      AND EXISTS (SELECT 1 FROM applications p WHERE p.id = NEW.application_id AND p.status NOT IN ('withdrawn', 'ineligible'));
END;
-- +goose StatementEnd

-- Entries: an application entering a round (or leaving it) brings its assignments there into the counts.
-- +goose StatementBegin
CREATE TRIGGER round_entries_judge_progress_insert AFTER INSERT ON round_entries
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = NEW.round_id)
    AND EXISTS (SELECT 1 FROM applications p WHERE p.id = NEW.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT a.round_id, a.judge_id, 0, 1, s.status IS 'submitted', s.status IS NOT NULL AND s.status <> 'submitted'
    FROM assignments a
    LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id
    WHERE a.round_id = NEW.round_id AND a.application_id = NEW.application_id;
    INSERT INTO round_entry_judges (round_id, judges, n) SELECT NEW.round_id, c.judges, 1 FROM (SELECT COUNT(*) AS judges FROM assignments a WHERE a.round_id = NEW.round_id AND a.application_id = NEW.application_id) c;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER round_entries_judge_progress_delete AFTER DELETE ON round_entries
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id)
    AND EXISTS (SELECT 1 FROM applications p WHERE p.id = OLD.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT a.round_id, a.judge_id, 0, -1, -(s.status IS 'submitted'), -(s.status IS NOT NULL AND s.status <> 'submitted')
    FROM assignments a
    LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id
    WHERE a.round_id = OLD.round_id AND a.application_id = OLD.application_id;
    INSERT INTO round_entry_judges (round_id, judges, n) SELECT OLD.round_id, c.judges, -1 FROM (SELECT COUNT(*) AS judges FROM assignments a WHERE a.round_id = OLD.round_id AND a.application_id = OLD.application_id) c;
END;
-- +goose StatementEnd

-- An application withdrawn or set aside takes its work out of every round it entered; taken back, it brings it
-- back.
-- +goose StatementBegin
CREATE TRIGGER applications_judge_progress AFTER UPDATE OF status ON applications
WHEN (OLD.status IN ('withdrawn', 'ineligible')) <> (NEW.status IN ('withdrawn', 'ineligible'))
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT a.round_id, a.judge_id, 0, x.sign, x.sign * (s.status IS 'submitted'), x.sign * (s.status IS NOT NULL AND s.status <> 'submitted')
    FROM (SELECT CASE WHEN NEW.status IN ('withdrawn', 'ineligible') THEN -1 ELSE 1 END AS sign) x
    JOIN round_entries e ON e.application_id = NEW.id
    JOIN assignments a ON a.round_id = e.round_id AND a.application_id = NEW.id
    LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id;
    INSERT INTO round_entry_judges (round_id, judges, n)
    SELECT e.round_id, (SELECT COUNT(*) FROM assignments a WHERE a.round_id = e.round_id AND a.application_id = NEW.id),
           CASE WHEN NEW.status IN ('withdrawn', 'ineligible') THEN -1 ELSE 1 END
    FROM round_entries e WHERE e.application_id = NEW.id;
END;
-- +goose StatementEnd

-- An application about to be deleted takes its work away while its entries, assignments and scores are there.
-- +goose StatementBegin
CREATE TRIGGER applications_judge_progress_delete BEFORE DELETE ON applications
WHEN OLD.status NOT IN ('withdrawn', 'ineligible')
BEGIN
    INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
    SELECT a.round_id, a.judge_id, 0, -1, -(s.status IS 'submitted'), -(s.status IS NOT NULL AND s.status <> 'submitted')
    FROM round_entries e
    JOIN rounds r ON r.id = e.round_id
    JOIN assignments a ON a.round_id = e.round_id AND a.application_id = OLD.id
    LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id
    WHERE e.application_id = OLD.id;
    INSERT INTO round_entry_judges (round_id, judges, n)
    SELECT e.round_id, (SELECT COUNT(*) FROM assignments a WHERE a.round_id = e.round_id AND a.application_id = OLD.id), -1
    FROM round_entries e JOIN rounds r ON r.id = e.round_id WHERE e.application_id = OLD.id;
END;
-- +goose StatementEnd

-- The work already there.
INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts)
SELECT a.round_id, a.judge_id, COUNT(*), SUM(c.counted), SUM(c.counted * (s.status IS 'submitted')),
       SUM(c.counted * (s.status IS NOT NULL AND s.status <> 'submitted'))
FROM assignments a
LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id
JOIN (SELECT a2.id, (EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = a2.round_id AND e.application_id = a2.application_id)
             AND EXISTS (SELECT 1 FROM applications p WHERE p.id = a2.application_id AND p.status NOT IN ('withdrawn', 'ineligible'))) AS counted
      FROM assignments a2) c ON c.id = a.id
GROUP BY a.round_id, a.judge_id;

INSERT INTO round_entry_judges (round_id, judges, n)
SELECT e.round_id, COALESCE(c.judges, 0), COUNT(*)
FROM round_entries e
JOIN applications p ON p.id = e.application_id AND p.status NOT IN ('withdrawn', 'ineligible')
LEFT JOIN (SELECT round_id, application_id, COUNT(*) AS judges FROM assignments GROUP BY round_id, application_id) c
  ON c.round_id = e.round_id AND c.application_id = e.application_id
GROUP BY e.round_id, COALESCE(c.judges, 0);

-- +goose Down
DROP TRIGGER applications_judge_progress_delete;
DROP TRIGGER applications_judge_progress;
DROP TRIGGER round_entries_judge_progress_delete;
DROP TRIGGER round_entries_judge_progress_insert;
DROP TRIGGER scores_judge_progress_update;
DROP TRIGGER scores_judge_progress_delete;
DROP TRIGGER scores_judge_progress_insert;
DROP TRIGGER assignments_judge_progress_update;
DROP TRIGGER assignments_judge_progress_delete;
DROP TRIGGER assignments_judge_progress_insert;
DROP INDEX assignments_round_judge_created;
DROP TABLE round_entry_judges;
DROP INDEX scores_round_judge_updated;
DROP TABLE judge_progress;
