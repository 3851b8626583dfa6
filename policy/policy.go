// Package policy answers "may this user do that?" in one place. Handlers and services both call it, so a rule
// is written once and the authorization matrix test can hold every route to it. Functions are pure: they look
// only at the user and the record passed in. A nil user is an anonymous visitor.
package policy

import "github.com/pitchfest/pitchfest/models"

// active reports whether u is signed in with an account that is not disabled.
func active(u *models.User) bool { return u != nil && u.DisabledAt == nil }

// CanInvite says who may invite whom: organizers invite judges; admins invite judges, organizers and admins.
func CanInvite(u *models.User, role models.Role) bool {
	if !active(u) {
		return false
	}
	switch role {
	case models.RoleJudge:
		return u.Has(models.RoleOrganizer) || u.Has(models.RoleAdmin)
	case models.RoleOrganizer, models.RoleAdmin:
		return u.Has(models.RoleAdmin)
	}
	return false
}

// CanViewAudit lets organizers and admins page through the audit log.
func CanViewAudit(u *models.User) bool {
	return active(u) && (u.Has(models.RoleOrganizer) || u.Has(models.RoleAdmin))
}

// CanManageUsers lets admins disable accounts and change roles.
func CanManageUsers(u *models.User) bool { return active(u) && u.Has(models.RoleAdmin) }

// CanSubmitApplication requires a verified email: a submission must reach a person we can write to.
func CanSubmitApplication(u *models.User) bool { return active(u) && u.Verified() }
