package policy

import "github.com/pitchfest/pitchfest/models"

// JudgeAccess is what the caller of a judging rule knows about one judge and one application in one round: the
// facts the rules below decide on, gathered by the service from the database.
type JudgeAccess struct {
	// Assigned is set when the judge has an assignment to the application in the round.
	Assigned bool
	// Conflicted is set when the judge has a conflict with the application (for the whole edition).
	Conflicted bool
}

// staff reports whether u runs competitions: organizers and admins see and manage all judging.
func staff(u *models.User) bool {
	return active(u) && (u.Has(models.RoleOrganizer) || u.Has(models.RoleAdmin))
}

// CanManageJudging lets organizers and admins set up rounds, rubrics, panels, assignments and conflicts, and
// see every score, progress and result. Judges never manage judging: a judge who could edit assignments could
// choose what they judge.
func CanManageJudging(u *models.User) bool { return staff(u) }

// IsJudge reports whether u may use the judge workspace at all.
func IsJudge(u *models.User) bool { return active(u) && u.Has(models.RoleJudge) }

// CanJudgeApplication says whether u may see an application of a round as a judge (its content, its deck, the
// rubric beside it): only an active judge assigned to it and not conflicted. A conflict wins over an
// assignment, so a conflict recorded before the assignment is removed still hides everything.
func CanJudgeApplication(u *models.User, a JudgeAccess) bool {
	return IsJudge(u) && a.Assigned && !a.Conflicted
}

// CanViewApplicationInRound says whether u may open an application's page in a round: staff always, judges as
// CanJudgeApplication says, applicants never (their own application has its own pages).
func CanViewApplicationInRound(u *models.User, a JudgeAccess) bool {
	return staff(u) || CanJudgeApplication(u, a)
}

// CanScore says whether u may save or submit their own score of an application: as a judge of it, while
// scoring is open. Staff do not score through the judge workspace; an organizer who also judges holds the
// judge role and is checked as a judge.
func CanScore(u *models.User, a JudgeAccess, scoringOpen bool) bool {
	return scoringOpen && CanJudgeApplication(u, a)
}

// CanSeeScore says whether u may read a score written by judgeID: its author (while not conflicted, which
// CanJudgeApplication checks) and staff. A judge never sees another judge's score, so that every score is
// independent.
func CanSeeScore(u *models.User, judgeID int64, a JudgeAccess) bool {
	if staff(u) {
		return true
	}
	return CanJudgeApplication(u, a) && u.ID == judgeID
}

// CanSeePrivateNotes lets staff read the notes judges leave for organizers; applicants never see them, and a
// judge sees only their own (through CanSeeScore).
func CanSeePrivateNotes(u *models.User) bool { return staff(u) }

// CanDeclareConflict lets a judge declare a conflict with an application they were assigned in the round, or
// can see in it; staff record conflicts for anyone through CanManageJudging.
func CanDeclareConflict(u *models.User, a JudgeAccess) bool {
	return IsJudge(u) && a.Assigned
}

// CanFollowLive lets a judge with work in a live round, and staff, read which pitch is on stage. The running
// order is hidden from the public and from applicants.
func CanFollowLive(u *models.User, judgesInRound bool) bool {
	return staff(u) || (IsJudge(u) && judgesInRound)
}

// DeckJudgeAccess is what the deck rules need to know about a judge and an application: whether the judge is
// assigned to it, not conflicted, in a round open for scoring now; and whether such a round is blind (the deck's
// file name, which often names the startup, is then hidden).
type DeckJudgeAccess struct {
	AssignedInOpenRound bool
	Blind               bool
}
