-- +goose Up
-- Kept equivalent to sqlite/00022_round_score_gaps.sql.
--
-- The organizer's statistics show, per round, the score gap between women-led and other applications and per
-- judge, computed from every counted score of the round (z-normalized). For a round of 750,000 scores that is
-- seconds of work, too much for a page; a background job (services.RoundGapsRefresher) computes it and keeps
-- the result here, and the page reads it (docs/statistics.md, "Score gaps, kept").
CREATE TABLE round_score_gaps (
    round_id    BIGINT PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
    computed_at TIMESTAMPTZ NOT NULL,
    duration_ms BIGINT NOT NULL,
    scores      INTEGER NOT NULL,
    result      TEXT NOT NULL
);

-- What the stored result was computed from is told by what happened since: every change of what a round's
-- score gaps are computed from adds a row here, in the same transaction, from a trigger, whichever code path
-- writes (scoring, withdrawing or reopening a score, a conflict, an application withdrawn or set aside, the
-- rubric, the round's method, the entries, the panels and assignments whose judges make up the panel, the
-- emails and judge role behind the implicit conflicts, a cascade from a deleted application or judge). A round with rows here is being updated; the refresh job
-- deletes the rows its snapshot saw, so a change committed while it computed stays and marks the result stale.
-- Rows are only ever inserted by writers, never updated: concurrent score submissions do not wait on each
-- other for a shared row. No foreign key: a round's deletion cascades to its scores, whose trigger writes here
-- for the round being deleted; the refresh job removes the rows of rounds that no longer exist.
CREATE TABLE round_score_gap_changes (
    id       BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL
);
CREATE INDEX round_score_gap_changes_round ON round_score_gap_changes (round_id);

-- Tables keyed by round whose every change counts (criteria, panel seats, assignments; entries are added and
-- removed, never moved between rounds). Statement-level with transition tables: entering 250,000 applications
-- in one statement adds one row, not 250,000.
-- +goose StatementBegin
CREATE FUNCTION round_score_gaps_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO round_score_gap_changes (round_id) SELECT DISTINCT round_id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO round_score_gap_changes (round_id) SELECT DISTINCT round_id FROM old_rows;
    ELSE
        INSERT INTO round_score_gap_changes (round_id)
        SELECT round_id FROM old_rows UNION SELECT round_id FROM new_rows;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER criteria_round_score_gaps_insert AFTER INSERT ON criteria
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER criteria_round_score_gaps_update AFTER UPDATE ON criteria
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER criteria_round_score_gaps_delete AFTER DELETE ON criteria
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER round_entries_round_score_gaps_insert AFTER INSERT ON round_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER round_entries_round_score_gaps_delete AFTER DELETE ON round_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER panel_judges_round_score_gaps_insert AFTER INSERT ON panel_judges
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER panel_judges_round_score_gaps_update AFTER UPDATE ON panel_judges
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER panel_judges_round_score_gaps_delete AFTER DELETE ON panel_judges
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER assignments_round_score_gaps_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER assignments_round_score_gaps_update AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();
CREATE TRIGGER assignments_round_score_gaps_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION round_score_gaps_touch();

-- Scores: a score that is or was submitted counts (a judge conflicted with the application is left out on
-- reading, see conflicts below); saving a draft, or a comment, changes nothing the gaps are computed from.
-- +goose StatementBegin
CREATE FUNCTION scores_round_score_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT round_id FROM new_rows WHERE status = 'submitted';
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT round_id FROM old_rows WHERE status = 'submitted';
    ELSE
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT x.round_id
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.round_id), (n.round_id)) x (round_id)
        WHERE (o.status = 'submitted' OR n.status = 'submitted')
          AND (o.status, o.score_values, o.round_id, o.application_id, o.judge_id)
              IS DISTINCT FROM (n.status, n.score_values, n.round_id, n.application_id, n.judge_id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER scores_round_score_gaps_insert AFTER INSERT ON scores
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_round_score_gaps();
CREATE TRIGGER scores_round_score_gaps_update AFTER UPDATE ON scores
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_round_score_gaps();
CREATE TRIGGER scores_round_score_gaps_delete AFTER DELETE ON scores
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_round_score_gaps();

-- A conflict declared (or lifted) leaves out (or counts again) the judge's submitted score of the application,
-- in whichever round it was given.
-- +goose StatementBegin
CREATE FUNCTION conflicts_round_score_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT s.round_id FROM new_rows c
        JOIN scores s ON s.judge_id = c.judge_id AND s.application_id = c.application_id
        WHERE s.status = 'submitted';
    ELSE
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT s.round_id FROM old_rows c
        JOIN scores s ON s.judge_id = c.judge_id AND s.application_id = c.application_id
        WHERE s.status = 'submitted';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER conflicts_round_score_gaps_insert AFTER INSERT ON conflicts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION conflicts_round_score_gaps();
CREATE TRIGGER conflicts_round_score_gaps_delete AFTER DELETE ON conflicts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION conflicts_round_score_gaps();

-- An application withdrawn or set aside leaves its rounds' results; its classification, consent and reference
-- (how scores name it) are what the gaps group and key by; its applicant is conflicted with it (see below).
-- Every round it entered is touched.
-- +goose StatementBegin
CREATE FUNCTION applications_round_score_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT e.round_id
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    JOIN round_entries e ON e.application_id = n.id
    WHERE (o.status, o.women_led, o.consent_stats, o.reference, o.applicant_id)
          IS DISTINCT FROM (n.status, n.women_led, n.consent_stats, n.reference, n.applicant_id);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_round_score_gaps AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION applications_round_score_gaps();

-- Nobody judges their own application: a judge who is its applicant, or one of its team members by email, is
-- conflicted with it without any recorded conflict (Store.ConflictsByEdition). So a team member's email, an
-- account's email or judge role can leave a submitted score out or count it again: the rounds where the people
-- concerned submitted scores are touched.
-- +goose StatementBegin
CREATE FUNCTION team_members_round_score_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT s.round_id FROM new_rows t
        JOIN users u ON u.email_norm = t.email
        JOIN scores s ON s.judge_id = u.id AND s.application_id = t.application_id
        WHERE t.email <> '' AND s.status = 'submitted';
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT s.round_id FROM old_rows t
        JOIN users u ON u.email_norm = t.email
        JOIN scores s ON s.judge_id = u.id AND s.application_id = t.application_id
        WHERE t.email <> '' AND s.status = 'submitted';
    ELSE
        INSERT INTO round_score_gap_changes (round_id)
        SELECT DISTINCT s.round_id
        FROM (SELECT o.application_id, o.email FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE (o.email, o.application_id) IS DISTINCT FROM (n.email, n.application_id)
              UNION SELECT n.application_id, n.email FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE (o.email, o.application_id) IS DISTINCT FROM (n.email, n.application_id)) t
        JOIN users u ON u.email_norm = t.email
        JOIN scores s ON s.judge_id = u.id AND s.application_id = t.application_id
        WHERE t.email <> '' AND s.status = 'submitted';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER team_members_round_score_gaps_insert AFTER INSERT ON team_members
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION team_members_round_score_gaps();
CREATE TRIGGER team_members_round_score_gaps_update AFTER UPDATE ON team_members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION team_members_round_score_gaps();
CREATE TRIGGER team_members_round_score_gaps_delete AFTER DELETE ON team_members
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION team_members_round_score_gaps();

-- +goose StatementBegin
CREATE FUNCTION judge_round_score_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT round_id FROM scores
    WHERE judge_id = CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END AND status = 'submitted';
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION users_round_score_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_score_gap_changes (round_id)
    SELECT DISTINCT round_id FROM scores WHERE judge_id = NEW.id AND status = 'submitted';
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER user_roles_round_score_gaps_insert AFTER INSERT ON user_roles
    FOR EACH ROW WHEN (NEW.role = 'judge') EXECUTE FUNCTION judge_round_score_gaps();
CREATE TRIGGER user_roles_round_score_gaps_delete AFTER DELETE ON user_roles
    FOR EACH ROW WHEN (OLD.role = 'judge') EXECUTE FUNCTION judge_round_score_gaps();
CREATE TRIGGER users_round_score_gaps AFTER UPDATE OF email_norm ON users
    FOR EACH ROW WHEN (OLD.email_norm IS DISTINCT FROM NEW.email_norm) EXECUTE FUNCTION users_round_score_gaps();

-- The round's ranking options (the gaps always use the z method, but its minimum scores per judge apply).
-- +goose StatementBegin
CREATE FUNCTION rounds_round_score_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_score_gap_changes (round_id) VALUES (NEW.id);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER rounds_round_score_gaps AFTER UPDATE OF method, min_judge_scores, disagreement_threshold ON rounds
    FOR EACH ROW
    WHEN ((OLD.method, OLD.min_judge_scores, OLD.disagreement_threshold)
          IS DISTINCT FROM (NEW.method, NEW.min_judge_scores, NEW.disagreement_threshold))
    EXECUTE FUNCTION rounds_round_score_gaps();

-- Every round there is gets its first computation.
INSERT INTO round_score_gap_changes (round_id) SELECT id FROM rounds;

-- +goose Down
DROP TRIGGER users_round_score_gaps ON users;
DROP TRIGGER user_roles_round_score_gaps_delete ON user_roles;
DROP TRIGGER user_roles_round_score_gaps_insert ON user_roles;
DROP FUNCTION users_round_score_gaps();
DROP FUNCTION judge_round_score_gaps();
DROP TRIGGER team_members_round_score_gaps_delete ON team_members;
DROP TRIGGER team_members_round_score_gaps_update ON team_members;
DROP TRIGGER team_members_round_score_gaps_insert ON team_members;
DROP FUNCTION team_members_round_score_gaps();
DROP TRIGGER rounds_round_score_gaps ON rounds;
DROP FUNCTION rounds_round_score_gaps();
DROP TRIGGER applications_round_score_gaps ON applications;
DROP FUNCTION applications_round_score_gaps();
DROP TRIGGER conflicts_round_score_gaps_delete ON conflicts;
DROP TRIGGER conflicts_round_score_gaps_insert ON conflicts;
DROP FUNCTION conflicts_round_score_gaps();
DROP TRIGGER scores_round_score_gaps_delete ON scores;
DROP TRIGGER scores_round_score_gaps_update ON scores;
DROP TRIGGER scores_round_score_gaps_insert ON scores;
DROP FUNCTION scores_round_score_gaps();
DROP TRIGGER assignments_round_score_gaps_delete ON assignments;
DROP TRIGGER assignments_round_score_gaps_update ON assignments;
DROP TRIGGER assignments_round_score_gaps_insert ON assignments;
DROP TRIGGER panel_judges_round_score_gaps_delete ON panel_judges;
DROP TRIGGER panel_judges_round_score_gaps_update ON panel_judges;
DROP TRIGGER panel_judges_round_score_gaps_insert ON panel_judges;
DROP TRIGGER round_entries_round_score_gaps_delete ON round_entries;
DROP TRIGGER round_entries_round_score_gaps_insert ON round_entries;
DROP TRIGGER criteria_round_score_gaps_delete ON criteria;
DROP TRIGGER criteria_round_score_gaps_update ON criteria;
DROP TRIGGER criteria_round_score_gaps_insert ON criteria;
DROP FUNCTION round_score_gaps_touch();
DROP TABLE round_score_gap_changes;
DROP TABLE round_score_gaps;
