package pages

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/services"
)

// invitePage is what the invitation form offers, with the invitations still pending below it.
type invitePage struct {
	Roles     []roleChoice
	RoleError string
	Language  string
	Pending   []pendingRow
	// Sent is the address just invited (the pending invitation the address's "sent" reference names).
	Sent string
	// Problem says why the last send-again or withdrawal was refused.
	Problem string
}

// pendingRow is a pending invitation as a page lists it: Actions is the page's own address, under which it
// answers the invitation's send-again and withdraw buttons ("/resend", "/withdraw"), so that one partial draws
// them wherever invitations are listed and a refusal is shown where the button was pressed.
type pendingRow struct {
	services.PendingInvite
	Actions string
}

// pendingRows lists pending invitations with their buttons answered under actions.
func pendingRows(pending []services.PendingInvite, actions string) []pendingRow {
	out := make([]pendingRow, len(pending))
	for i, p := range pending {
		out[i] = pendingRow{PendingInvite: p, Actions: actions}
	}
	return out
}

// roleChoice is one role the signed-in user may invite someone to.
type roleChoice struct {
	Value, Label, Hint string
	Checked, First     bool
}

type inviteForm struct {
	Email    string `form:"email" json:"email" binding:"max=254"`
	Role     string `form:"role" json:"role" binding:"max=20"`
	Language string `form:"language" json:"language" binding:"omitempty,oneof=en fr rw"`
}

// invitableRoles are the roles u may hand out, lowest first (policy.CanInvite decides).
func invitableRoles(u *models.User) []models.Role {
	var out []models.Role
	for _, r := range []models.Role{models.RoleJudge, models.RoleOrganizer, models.RoleAdmin} {
		if policy.CanInvite(u, r) {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) showInvite(c *gin.Context, status int, f *frontend.Form, problem string) {
	web.PageAt(c, "/admin/invitations")
	roles := invitableRoles(web.CurrentUser(c))
	pending, err := s.Accounts.PendingInvitations(c.Request.Context(), web.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := invitePage{Language: web.Lang(c), Pending: pendingRows(pending, "/admin/invitations"), Problem: problem}
	if ref := c.Query("sent"); ref != "" {
		// Only an invitation this person may see is named: the address cannot make the page say anything else.
		for _, p := range pending {
			if p.Ref == ref {
				d.Sent = p.Email
			}
		}
	}
	chosen := ""
	if f != nil {
		chosen = f.Values["role"]
		d.RoleError = f.Errors["role"]
		if l := f.Values["language"]; l != "" {
			d.Language = l
		}
	}
	for i, r := range roles {
		d.Roles = append(d.Roles, roleChoice{Value: string(r), Label: roleLabel(r), Hint: "invite.hint." + string(r),
			Checked: chosen == string(r) || chosen == "" && len(roles) == 1, First: i == 0})
	}
	p := s.NewPage(c, "invite.title")
	p.Form = f
	p.Data = d
	s.Show(c, status, "admin_invitations", "invite-form", p)
}

func (s *Server) invitationsPage(c *gin.Context) {
	if len(invitableRoles(web.CurrentUser(c))) == 0 {
		s.Fail(c, models.ErrForbidden)
		return
	}
	s.showInvite(c, http.StatusOK, nil, "")
}

func (s *Server) invite(c *gin.Context) {
	var req inviteForm
	f := web.NewForm("invite", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	f.Values = map[string]string{"email": req.Email, "role": req.Role, "language": req.Language}
	status := s.submitForm(c, f, func() error {
		return s.sendInvitation(c, req.Email, models.Role(req.Role), cmp.Or(req.Language, web.Lang(c)))
	})
	if status == 0 {
		return
	}
	s.Invalid(c, f)
	s.showInvite(c, status, f, "")
}

// sendInvitation invites email to role and, when the service agrees, goes back to the invitations page.
func (s *Server) sendInvitation(c *gin.Context, email string, role models.Role, lang string) error {
	inv, err := s.Accounts.SendInvitation(c.Request.Context(), web.CurrentUser(c), email, role, lang, web.Meta(c))
	s.invitationSent(c, inv, err)
	return err
}

// invitationSent goes back to the invitations page, which names the address just invited, once the service
// agreed to send.
func (s *Server) invitationSent(c *gin.Context, inv *services.PendingInvite, err error) {
	if err == nil {
		s.SeeOther(c, "/admin/invitations?sent="+url.QueryEscape(inv.Ref), "")
	}
}

// resendInvitation sends a pending invitation again ("email", "role"), with a new link, in the invitee's
// language (the service knows it); the page names the address.
func (s *Server) resendInvitation(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	inv, err := s.Accounts.ResendInvitation(c.Request.Context(), web.CurrentUser(c), c.PostForm("email"), models.Role(c.PostForm("role")), web.Lang(c), web.Meta(c))
	s.invitationSent(c, inv, err)
	if err != nil {
		s.invitationRefused(c, err)
	}
}

// withdrawInvitation voids a pending invitation ("email", "role"): its links stop working.
func (s *Server) withdrawInvitation(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	err := s.Accounts.WithdrawInvitation(c.Request.Context(), web.CurrentUser(c), c.PostForm("email"), models.Role(c.PostForm("role")), web.Meta(c))
	if err == nil {
		s.SeeOther(c, "/admin/invitations", "flash.invitation_withdrawn")
		return
	}
	s.invitationRefused(c, err)
}

// invitationRefused shows the invitations page with why a send-again or a withdrawal was refused.
func (s *Server) invitationRefused(c *gin.Context, err error) {
	if p, ok := s.Refusal(c, err, ""); ok {
		s.showInvite(c, p.Status, nil, p.Place(web.Nowhere))
	}
}

// auditPageSize is how many events one page of the audit log shows.
const auditPageSize = 50

// auditRow is one audit event as the page shows it.
type auditRow struct {
	At      time.Time
	Actor   string // who did it: name and email, or "User #5" for an account since deleted; empty for the system
	Action  string // the stored code, kept for tools and tests
	Label   string // what happened, in the reader's language
	Subject string
	IP      string
	Detail  string
}

// auditData is one page of the audit log, newest first, with keyset links: Older is the id to page before.
// The filter's values stay in its form, and the paging links keep them.
type auditData struct {
	Events   []auditRow
	Older    int64
	Newer    bool
	Filter   services.AuditQuery
	Filtered bool
	// NewestURL and OlderURL are the paging links, the filter kept.
	NewestURL, OlderURL string
	Actions             []auditAction
	Errors              map[string]string
	Problem             string
}

// auditAction is one choice of the filter's action list.
type auditAction struct{ Code, Label string }

// auditActions lists every action the catalogs name, by label in the reader's language.
func (s *Server) auditActions(c *gin.Context) []auditAction {
	var out []auditAction
	for _, id := range s.I18n.MessageIDs("en") {
		if code, ok := strings.CutPrefix(id, "audit.action."); ok {
			out = append(out, auditAction{Code: code, Label: s.Tr(c, id)})
		}
	}
	slices.SortFunc(out, func(a, b auditAction) int { return strings.Compare(a.Label, b.Label) })
	return out
}

// auditLabel says what an audit action means in the reader's language; an action without a catalog entry shows
// its code, which the page crawl test reports.
func (s *Server) auditLabel(c *gin.Context, action string) string {
	id := "audit.action." + action
	if label := s.Tr(c, id); label != id {
		return label
	}
	return action
}

// personOf names an account in the audit log as the filter's person field reads it: name and email address.
func personOf(u models.User) string {
	if u.Name == "" {
		return u.Email
	}
	return u.Name + " (" + u.Email + ")"
}

// auditPage is the audit log, narrowed by the filter form's GET fields ("action", "person", "from", "to", days
// in Kigali time like the page's times) and paged with "before".
func (s *Server) auditPage(c *gin.Context) {
	before, _ := strconv.ParseInt(c.Query("before"), 10, 64)
	q := services.AuditQuery{Action: c.Query("action"), Person: c.Query("person"), From: c.Query("from"), To: c.Query("to"), Zone: l10n.DefaultZone}
	d := auditData{Newer: before > 0, Filter: q, Actions: s.auditActions(c), Errors: map[string]string{}}
	kept := url.Values{}
	for k, v := range map[string]string{"action": q.Action, "person": q.Person, "from": q.From, "to": q.To} {
		if v = strings.TrimSpace(v); v != "" {
			kept.Set(k, v)
		}
	}
	d.Filtered, d.NewestURL = len(kept) > 0, "/admin/audit"
	if d.Filtered {
		d.NewestURL += "?" + kept.Encode()
	}
	evs, err := s.Accounts.AuditSearch(c.Request.Context(), web.CurrentUser(c), q, before, auditPageSize)
	if err != nil {
		if p, ok := s.Refusal(c, err, ""); ok {
			d.Problem = p.Place(func(k, text string) bool {
				d.Errors[k] = text
				return true
			})
			s.showPage(c, p.Status, "admin_audit", "audit.title", d)
		}
		return
	}
	names, err := s.Accounts.AuditNamesOf(c.Request.Context(), web.CurrentUser(c), evs)
	if err != nil {
		s.Fail(c, err)
		return
	}
	t := auditText{viewText: s.text(c), names: names, zone: q.Zone}
	for _, e := range evs {
		r := auditRow{At: e.CreatedAt, Action: e.Action, Label: s.auditLabel(c, e.Action), Subject: t.subject(e.Subject), IP: e.IP,
			Detail: t.detail(e.Action, e.Detail)}
		if t.restates(e.Subject, e.Detail) {
			r.Detail = ""
		}
		if e.ActorID != nil {
			r.Actor = t.ref("user", *e.ActorID)
		}
		d.Events = append(d.Events, r)
	}
	if len(evs) == auditPageSize {
		d.Older = evs[len(evs)-1].ID
		kept.Set("before", strconv.FormatInt(d.Older, 10))
		d.OlderURL = "/admin/audit?" + kept.Encode()
	}
	s.showPage(c, http.StatusOK, "admin_audit", "audit.title", d)
}
