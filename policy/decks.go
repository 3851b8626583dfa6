package policy

import "github.com/pitchfest/pitchfest/models"

// CanUploadDeck lets only the applicant who owns the application upload its deck, like every other edit (the
// deadline is the service's business: it depends on the clock, and policy functions are pure).
func CanUploadDeck(u *models.User, app *models.Application) bool { return CanEditApplication(u, app) }

// CanDownloadDeck says who may read an application's deck: whoever may read the application (its owner,
// organizers and admins), and a judge assigned to it in a round open for scoring and not conflicted with it
// (ja, gathered by services.DeckAccessForJudge). Every deck route asks this one rule.
func CanDownloadDeck(u *models.User, app *models.Application, ja DeckJudgeAccess) bool {
	return CanViewApplication(u, app) || (IsJudge(u) && app != nil && ja.AssignedInOpenRound)
}

// DeckNameHidden says whether the deck's original file name must be kept from u: a judge reading it for a
// blind round, since the name often names the startup. Those who may read the application see it.
func DeckNameHidden(u *models.User, app *models.Application, ja DeckJudgeAccess) bool {
	return !CanViewApplication(u, app) && ja.Blind
}
