package models

import (
	"context"
	"database/sql"
	"time"
)

// Assignment sources, kept so an organizer can tell the algorithm's choices from their own.
const (
	SourceAuto   = "auto"
	SourceManual = "manual"
	SourceRefill = "refill" // a place refilled after a conflict or a reassignment
)

// Assignment puts one judge on one application in one round.
type Assignment struct {
	ID            int64
	RoundID       int64
	ApplicationID int64
	JudgeID       int64
	Source        string
	CreatedBy     *int64
	CreatedAt     time.Time
}

// TableName pins the table name.
func (Assignment) TableName() string { return "assignments" }

// Conflict records that a judge must not judge an application (they know the team, invested, compete…). It
// holds for the whole edition, every round.
type Conflict struct {
	ID            int64
	EditionID     int64
	ApplicationID int64
	JudgeID       int64
	Reason        string
	DeclaredBy    *int64 // the judge themself, or the organizer who recorded it
	CreatedAt     time.Time
}

// TableName pins the table name.
func (Conflict) TableName() string { return "conflicts" }

// ---- assignments ----

// AssignmentsByRound lists the round's assignments by application, then judge.
func (s *Store) AssignmentsByRound(ctx context.Context, roundID int64) ([]Assignment, error) {
	var out []Assignment
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("application_id, judge_id").Find(&out).Error)
}

// AssignmentKey is what the automatic assignment needs to know of an existing assignment: which pair it is,
// and whether an organizer made it by hand. A round of 250,000 applications has 750,000 of them.
type AssignmentKey struct {
	ID            int64
	ApplicationID int64
	JudgeID       int64
	Manual        bool // Source is SourceManual
}

// AssignmentKeysByRound lists the round's assignments by application, then judge, as keys.
func (s *Store) AssignmentKeysByRound(ctx context.Context, roundID int64) ([]AssignmentKey, error) {
	var out []AssignmentKey
	err := scanRows(s.conn(ctx).Raw(`SELECT id, application_id, judge_id, CASE WHEN source = ? THEN 1 ELSE 0 END
FROM assignments WHERE round_id = ? ORDER BY application_id, judge_id`, SourceManual, roundID).Rows,
		func(rows *sql.Rows) error {
			var k AssignmentKey
			if err := rows.Scan(&k.ID, &k.ApplicationID, &k.JudgeID, &k.Manual); err != nil {
				return err
			}
			out = append(out, k)
			return nil
		})
	return out, err
}

// ScoredPairs lists the (application, judge) pairs of the round that have a score, draft or submitted, sorted:
// the automatic assignment keeps those judges where they are, and needs nothing else of the scores.
func (s *Store) ScoredPairs(ctx context.Context, roundID int64) ([][2]int64, error) {
	var out [][2]int64
	err := scanRows(s.conn(ctx).Raw(`SELECT application_id, judge_id FROM scores WHERE round_id = ? ORDER BY application_id, judge_id`,
		roundID).Rows, func(rows *sql.Rows) error {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// EntryToAssign is an application of a round as the automatic assignment sees it: its panel (0 for none) and
// its status, which says whether it still takes judges.
type EntryToAssign struct {
	ApplicationID int64
	PanelID       int64
	Status        ApplicationStatus
}

// EntriesToAssign lists the round's entries by application, with their panel and their application's status.
func (s *Store) EntriesToAssign(ctx context.Context, roundID int64) ([]EntryToAssign, error) {
	var out []EntryToAssign
	err := scanRows(s.conn(ctx).Raw(`SELECT e.application_id, COALESCE(e.panel_id, 0), a.status
FROM round_entries e JOIN applications a ON a.id = e.application_id WHERE e.round_id = ? ORDER BY e.application_id`,
		roundID).Rows, func(rows *sql.Rows) error {
		var e EntryToAssign
		if err := rows.Scan(&e.ApplicationID, &e.PanelID, &e.Status); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// scanRows runs a query and calls scan on each of its rows, closing them after: for reads of hundreds of
// thousands of small rows, which GORM would scan through reflection into wider structs.
func scanRows(query func() (*sql.Rows, error), scan func(*sql.Rows) error) error {
	rows, err := query()
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return translate(err)
		}
	}
	return translate(rows.Err())
}

// AssignmentsOfJudge lists one judge's assignments in a round, by application.
func (s *Store) AssignmentsOfJudge(ctx context.Context, roundID, judgeID int64) ([]Assignment, error) {
	var out []Assignment
	return out, translate(s.conn(ctx).Where("round_id = ? AND judge_id = ?", roundID, judgeID).Order("application_id").Find(&out).Error)
}

// AssignmentByID loads an assignment, or ErrNotFound.
func (s *Store) AssignmentByID(ctx context.Context, id int64) (*Assignment, error) {
	return take[Assignment](s.conn(ctx).Where("id = ?", id))
}

// AssignmentFor returns a judge's assignment to an application in a round, or ErrNotFound.
func (s *Store) AssignmentFor(ctx context.Context, roundID, applicationID, judgeID int64) (*Assignment, error) {
	return take[Assignment](s.conn(ctx).Where("round_id = ? AND application_id = ? AND judge_id = ?", roundID, applicationID, judgeID))
}

// RoundsOfJudge lists the rounds in which the judge has at least one assignment, newest edition first.
func (s *Store) RoundsOfJudge(ctx context.Context, judgeID int64) ([]Round, error) {
	var out []Round
	err := s.conn(ctx).Where("id IN (?)", s.conn(ctx).Model(&Assignment{}).Select("round_id").Where("judge_id = ?", judgeID)).
		Order("edition_id DESC, position").Find(&out).Error
	return out, translate(err)
}

// AddAssignment inserts a. ErrConflict when the judge is already on the application in the round.
func (s *Store) AddAssignment(ctx context.Context, a *Assignment) error {
	a.CreatedAt = DBTime(a.CreatedAt)
	return translate(s.conn(ctx).Create(a).Error)
}

// AddAssignments inserts many assignments at once, many per statement (an automatic assignment of a large
// round writes hundreds of thousands). ErrConflict when one of the judges is already on its application.
func (s *Store) AddAssignments(ctx context.Context, as []Assignment) error {
	for i := range as {
		as[i].CreatedAt = DBTime(as[i].CreatedAt)
	}
	return s.BulkCreate(ctx, as)
}

// DeleteAssignments removes the assignments with the given ids, many per statement; ids already gone are
// skipped.
func (s *Store) DeleteAssignments(ctx context.Context, ids []int64) error {
	_, err := s.bulkDelete(ctx, &Assignment{}, ids)
	return err
}

// DeleteAssignment removes one assignment. ErrNotFound if it is gone.
func (s *Store) DeleteAssignment(ctx context.Context, id int64) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ?", id).Delete(&Assignment{}))
}

// DeleteJudgeFromApplication removes a judge's assignments to an application in the given rounds.
func (s *Store) DeleteJudgeFromApplication(ctx context.Context, roundIDs []int64, applicationID, judgeID int64) error {
	return s.deleteJudgeRows(ctx, &Assignment{}, roundIDs, applicationID, judgeID)
}

// CountAssignmentsOfJudge returns how many applications the judge has in the round; live polling uses it as
// its one access check.
func (s *Store) CountAssignmentsOfJudge(ctx context.Context, roundID, judgeID int64) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&Assignment{}).Where("round_id = ? AND judge_id = ?", roundID, judgeID).Count(&n).Error
	return n, translate(err)
}

// deleteJudgeRows removes a judge's rows of model (assignments or scores) for an application in the given rounds.
func (s *Store) deleteJudgeRows(ctx context.Context, model any, roundIDs []int64, applicationID, judgeID int64) error {
	if len(roundIDs) == 0 {
		return nil
	}
	return translate(s.conn(ctx).Where("round_id IN ? AND application_id = ? AND judge_id = ?", roundIDs, applicationID, judgeID).
		Delete(model).Error)
}

// ---- conflicts ----

// ConflictsByEdition lists every conflict that holds in an edition: the recorded ones, newest first, then one
// for each application and each judge who is its applicant or one of its team members by email (ID 0, no
// reason): nobody judges their own application, whether or not anyone recorded it. Such a pair is listed once.
func (s *Store) ConflictsByEdition(ctx context.Context, editionID int64) ([]Conflict, error) {
	out, err := s.RecordedConflicts(ctx, editionID)
	if err != nil {
		return nil, err
	}
	var own []Conflict
	// Only people who hold the judge role matter, which keeps the list short (a judge's queue reads it).
	err = s.conn(ctx).Raw(`SELECT a.edition_id, a.id AS application_id, a.applicant_id AS judge_id
FROM applications a JOIN user_roles r ON r.user_id = a.applicant_id AND r.role = ?
WHERE a.edition_id = ?
UNION
SELECT a.edition_id, a.id, u.id
FROM team_members tm JOIN applications a ON a.id = tm.application_id JOIN users u ON u.email_norm = tm.email
  JOIN user_roles r ON r.user_id = u.id AND r.role = ?
WHERE a.edition_id = ? AND tm.email <> ''`, RoleJudge, editionID, RoleJudge, editionID).Scan(&own).Error
	if err != nil {
		return nil, translate(err)
	}
	seen := make(map[[2]int64]bool, len(out))
	for _, c := range out {
		seen[[2]int64{c.ApplicationID, c.JudgeID}] = true
	}
	for _, c := range own {
		if k := [2]int64{c.ApplicationID, c.JudgeID}; !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// ConflictsOfJudge lists what ConflictsByEdition lists for one judge: the applications of the edition the judge
// must not judge, recorded or their own. It reads only that judge's rows (a judge's queue asks it on every
// page), where ConflictsByEdition reads every application of the edition. Saying the member's email is not empty
// repeats what the join implies, so that PostgreSQL reads the team members' partial email index instead of all
// of them (600,000 at continental size, a tenth of a second on each queue page).
func (s *Store) ConflictsOfJudge(ctx context.Context, editionID, judgeID int64) ([]Conflict, error) {
	var out []Conflict
	err := s.conn(ctx).Raw(`SELECT edition_id, application_id, judge_id FROM conflicts WHERE edition_id = ? AND judge_id = ?
UNION
SELECT edition_id, id, applicant_id FROM applications WHERE edition_id = ? AND applicant_id = ?
UNION
SELECT a.edition_id, a.id, u.id
FROM users u JOIN team_members tm ON tm.email = u.email_norm JOIN applications a ON a.id = tm.application_id
WHERE u.id = ? AND u.email_norm <> '' AND tm.email <> '' AND a.edition_id = ?`, editionID, judgeID, editionID, judgeID, judgeID, editionID).Scan(&out).Error
	return out, translate(err)
}

// RecordedConflicts lists the conflicts declared by judges or recorded by organizers in an edition, newest
// first: the ones an organizer can see and remove.
func (s *Store) RecordedConflicts(ctx context.Context, editionID int64) ([]Conflict, error) {
	var out []Conflict
	return out, translate(s.conn(ctx).Where("edition_id = ?", editionID).Order("id DESC").Find(&out).Error)
}

// ConflictByID loads a conflict, or ErrNotFound.
func (s *Store) ConflictByID(ctx context.Context, id int64) (*Conflict, error) {
	return take[Conflict](s.conn(ctx).Where("id = ?", id))
}

// HasConflict reports whether the judge has a conflict with the application: a recorded one, or their own
// application (they are its applicant, or a team member by email).
func (s *Store) HasConflict(ctx context.Context, applicationID, judgeID int64) (bool, error) {
	var n int64
	err := s.conn(ctx).Raw(`SELECT
  (SELECT COUNT(*) FROM conflicts WHERE application_id = ? AND judge_id = ?)
+ (SELECT COUNT(*) FROM applications WHERE id = ? AND applicant_id = ?)
+ (SELECT COUNT(*) FROM team_members tm JOIN users u ON u.email_norm = tm.email
   WHERE tm.application_id = ? AND u.id = ? AND tm.email <> '')`,
		applicationID, judgeID, applicationID, judgeID, applicationID, judgeID).Scan(&n).Error
	return n > 0, translate(err)
}

// CreateConflict records a conflict. ErrConflict when it is already recorded.
func (s *Store) CreateConflict(ctx context.Context, c *Conflict) error {
	c.CreatedAt = DBTime(c.CreatedAt)
	return translate(s.conn(ctx).Create(c).Error)
}

// DeleteConflict removes a conflict. ErrNotFound if it is gone.
func (s *Store) DeleteConflict(ctx context.Context, id int64) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ?", id).Delete(&Conflict{}))
}
