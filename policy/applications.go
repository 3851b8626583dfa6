package policy

import "github.com/pitchfest/pitchfest/models"

// runsEditions is true for organizers and admins: the people who set up calls and read every application.
func runsEditions(u *models.User) bool {
	return active(u) && (u.Has(models.RoleOrganizer) || u.Has(models.RoleAdmin))
}

// CanManageEditions lets organizers and admins create, edit and publish editions and their questions.
func CanManageEditions(u *models.User) bool { return runsEditions(u) }

// CanViewEdition lets everyone, signed in or not, read a published edition; drafts of editions are seen only by
// those who run editions, so a call is not announced before the organizers publish it.
func CanViewEdition(u *models.User, e *models.Edition) bool {
	return e != nil && (e.Published() || runsEditions(u))
}

// CanApply lets applicants start an application. Judges and organizers apply only if they also hold the
// applicant role, so a staff account never enters by accident.
func CanApply(u *models.User) bool { return active(u) && u.Has(models.RoleApplicant) }

// CanViewApplication lets the applicant who owns it, and organizers and admins, read an application. Judges get
// nothing here: what they may see is decided per assignment by the judging workflow.
func CanViewApplication(u *models.User, a *models.Application) bool {
	return active(u) && a != nil && (a.Owner(u.ID) || runsEditions(u))
}

// CanEditApplication lets only the owner change, submit or withdraw an application: organizers read and judge
// what applicants wrote, they never write it for them.
func CanEditApplication(u *models.User, a *models.Application) bool {
	return active(u) && a != nil && a.Owner(u.ID)
}

// CanReviewApplications lets organizers and admins list, export and mark applications ineligible.
func CanReviewApplications(u *models.User) bool { return runsEditions(u) }
