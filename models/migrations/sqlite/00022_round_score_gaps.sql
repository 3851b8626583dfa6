-- +goose Up
-- Kept equivalent to postgres/00022_round_score_gaps.sql.
--
-- The organizer's statistics show, per round, the score gap between women-led and other applications and per
-- judge, computed from every counted score of the round (z-normalized). For a round of 750,000 scores that is
-- seconds of work, too much for a page; a background job (services.RoundGapsRefresher) computes it and keeps
-- the result here, and the page reads it (docs/statistics.md, "Score gaps, kept").
CREATE TABLE round_score_gaps (
    round_id    INTEGER PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
    computed_at DATETIME NOT NULL,
    duration_ms INTEGER NOT NULL,
    scores      INTEGER NOT NULL,
    result      TEXT NOT NULL
);

-- What the stored result was computed from is told by what happened since: every change of what a round's
-- score gaps are computed from adds a row here, in the same transaction, from a trigger, whichever code path
-- writes (see the PostgreSQL migration). SQLite has a single writer, so a round needs one row at most: the
-- refresh job's transaction cannot interleave with a change, and the triggers skip a round already marked.
-- No foreign key: a round's deletion cascades to its scores, whose trigger writes here for the round being
-- deleted; the refresh job removes the rows of rounds that no longer exist.
CREATE TABLE round_score_gap_changes (
    id       INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL
);
CREATE INDEX round_score_gap_changes_round ON round_score_gap_changes (round_id);

-- Tables keyed by round whose every change counts (criteria, panel seats, assignments; entries are added and
-- removed, never moved between rounds).
-- +goose StatementBegin
CREATE TRIGGER criteria_round_score_gaps_insert AFTER INSERT ON criteria BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER criteria_round_score_gaps_update AFTER UPDATE ON criteria BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER criteria_round_score_gaps_delete AFTER DELETE ON criteria BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER panel_judges_round_score_gaps_insert AFTER INSERT ON panel_judges BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER panel_judges_round_score_gaps_update AFTER UPDATE ON panel_judges BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER panel_judges_round_score_gaps_delete AFTER DELETE ON panel_judges BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assignments_round_score_gaps_insert AFTER INSERT ON assignments BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assignments_round_score_gaps_update AFTER UPDATE ON assignments BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assignments_round_score_gaps_delete AFTER DELETE ON assignments BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER round_entries_round_score_gaps_insert AFTER INSERT ON round_entries BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER round_entries_round_score_gaps_delete AFTER DELETE ON round_entries BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
END;
-- +goose StatementEnd

-- Scores: a score that is or was submitted counts; saving a draft, or a comment, changes nothing the gaps are
-- computed from.
-- +goose StatementBegin
CREATE TRIGGER scores_round_score_gaps_insert AFTER INSERT ON scores WHEN NEW.status = 'submitted' BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER scores_round_score_gaps_update AFTER UPDATE ON scores
WHEN (OLD.status = 'submitted' OR NEW.status = 'submitted')
    AND (OLD.status IS NOT NEW.status OR OLD.score_values IS NOT NEW.score_values OR OLD.round_id IS NOT NEW.round_id
         OR OLD.application_id IS NOT NEW.application_id OR OLD.judge_id IS NOT NEW.judge_id) BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER scores_round_score_gaps_delete AFTER DELETE ON scores WHEN OLD.status = 'submitted' BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT OLD.round_id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = OLD.round_id);
END;
-- +goose StatementEnd

-- A conflict declared (or lifted) leaves out (or counts again) the judge's submitted score of the application.
-- +goose StatementBegin
CREATE TRIGGER conflicts_round_score_gaps_insert AFTER INSERT ON conflicts BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM scores s
    WHERE s.judge_id = NEW.judge_id AND s.application_id = NEW.application_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER conflicts_round_score_gaps_delete AFTER DELETE ON conflicts BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM scores s
    WHERE s.judge_id = OLD.judge_id AND s.application_id = OLD.application_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd

-- An application withdrawn or set aside leaves its rounds' results; its classification, consent and reference
-- (how scores name it) are what the gaps group and key by; its applicant is conflicted with it (see below).
-- +goose StatementBegin
CREATE TRIGGER applications_round_score_gaps AFTER UPDATE OF status, women_led, consent_stats, reference, applicant_id ON applications
WHEN OLD.status IS NOT NEW.status OR OLD.women_led IS NOT NEW.women_led OR OLD.consent_stats IS NOT NEW.consent_stats
    OR OLD.reference IS NOT NEW.reference OR OLD.applicant_id IS NOT NEW.applicant_id BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT e.round_id FROM round_entries e
    WHERE e.application_id = NEW.id
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = e.round_id);
END;
-- +goose StatementEnd

-- Nobody judges their own application: a judge who is its applicant, or one of its team members by email, is
-- conflicted with it without any recorded conflict (Store.ConflictsByEdition). So a team member's email, an
-- account's email or judge role can leave a submitted score out or count it again: the rounds where the people
-- concerned submitted scores are touched.
-- +goose StatementBegin
CREATE TRIGGER team_members_round_score_gaps_insert AFTER INSERT ON team_members BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM users u JOIN scores s ON s.judge_id = u.id
    WHERE u.email_norm = NEW.email AND NEW.email <> '' AND s.application_id = NEW.application_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_members_round_score_gaps_update AFTER UPDATE OF email, application_id ON team_members
WHEN OLD.email IS NOT NEW.email OR OLD.application_id IS NOT NEW.application_id BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM users u JOIN scores s ON s.judge_id = u.id
    WHERE u.email_norm = OLD.email AND OLD.email <> '' AND s.application_id = OLD.application_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM users u JOIN scores s ON s.judge_id = u.id
    WHERE u.email_norm = NEW.email AND NEW.email <> '' AND s.application_id = NEW.application_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER team_members_round_score_gaps_delete AFTER DELETE ON team_members BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM users u JOIN scores s ON s.judge_id = u.id
    WHERE u.email_norm = OLD.email AND OLD.email <> '' AND s.application_id = OLD.application_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_roles_round_score_gaps_insert AFTER INSERT ON user_roles WHEN NEW.role = 'judge' BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM scores s WHERE s.judge_id = NEW.user_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_roles_round_score_gaps_delete AFTER DELETE ON user_roles WHEN OLD.role = 'judge' BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM scores s WHERE s.judge_id = OLD.user_id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_round_score_gaps AFTER UPDATE OF email_norm ON users WHEN OLD.email_norm IS NOT NEW.email_norm BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT s.round_id FROM scores s WHERE s.judge_id = NEW.id AND s.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = s.round_id);
END;
-- +goose StatementEnd

-- The round's ranking options.
-- +goose StatementBegin
CREATE TRIGGER rounds_round_score_gaps AFTER UPDATE OF method, min_judge_scores, disagreement_threshold ON rounds
WHEN OLD.method IS NOT NEW.method OR OLD.min_judge_scores IS NOT NEW.min_judge_scores
    OR OLD.disagreement_threshold IS NOT NEW.disagreement_threshold BEGIN
    INSERT INTO round_score_gap_changes (round_id) SELECT NEW.id
    WHERE NOT EXISTS (SELECT 1 FROM round_score_gap_changes WHERE round_id = NEW.id);
END;
-- +goose StatementEnd

-- Every round there is gets its first computation.
INSERT INTO round_score_gap_changes (round_id) SELECT id FROM rounds;

-- +goose Down
DROP TRIGGER users_round_score_gaps;
DROP TRIGGER user_roles_round_score_gaps_delete;
DROP TRIGGER user_roles_round_score_gaps_insert;
DROP TRIGGER team_members_round_score_gaps_delete;
DROP TRIGGER team_members_round_score_gaps_update;
DROP TRIGGER team_members_round_score_gaps_insert;
DROP TRIGGER rounds_round_score_gaps;
DROP TRIGGER applications_round_score_gaps;
DROP TRIGGER conflicts_round_score_gaps_delete;
DROP TRIGGER conflicts_round_score_gaps_insert;
DROP TRIGGER scores_round_score_gaps_delete;
DROP TRIGGER scores_round_score_gaps_update;
DROP TRIGGER scores_round_score_gaps_insert;
DROP TRIGGER round_entries_round_score_gaps_delete;
DROP TRIGGER round_entries_round_score_gaps_insert;
DROP TRIGGER assignments_round_score_gaps_delete;
DROP TRIGGER assignments_round_score_gaps_update;
DROP TRIGGER assignments_round_score_gaps_insert;
DROP TRIGGER panel_judges_round_score_gaps_delete;
DROP TRIGGER panel_judges_round_score_gaps_update;
DROP TRIGGER panel_judges_round_score_gaps_insert;
DROP TRIGGER criteria_round_score_gaps_delete;
DROP TRIGGER criteria_round_score_gaps_update;
DROP TRIGGER criteria_round_score_gaps_insert;
DROP TABLE round_score_gap_changes;
DROP TABLE round_score_gaps;
