package pages

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The judges of an edition: the roster (name, email, assigned and submitted in the edition's rounds), the
// invitations still pending, and inviting many at once by pasting addresses, with a result per address.

// judgesData is the roster page; Results is the report of the paste just sent.
type judgesData struct {
	Edition   *models.Edition
	Judges    []services.JudgeRow
	Pending   []pendingRow
	Results   []services.InviteResult
	Invited   int
	Addresses string
	// Language is the invitations' language chosen in the form: the organizer's own until they choose another.
	Language string
	// Error is what the refused invitation form says as a whole, AddressesError and LanguageError what it says
	// of the addresses and of the language.
	Error          string
	AddressesError string
	LanguageError  string
	// Problem says why the last roster action (resend, remove) was refused, or what it could not do.
	Problem string
}

func (s *Server) judgesPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	s.showJudges(c, http.StatusOK, id, judgesData{})
}

func (s *Server) showJudges(c *gin.Context, status int, editionID int64, d judgesData) {
	web.PageAt(c, fmt.Sprintf("/organize/editions/%d/judges", editionID))
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	ed, _, err := s.Publishing.EditionRounds(ctx, u, editionID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	rows, pending, err := s.Judging.JudgeRoster(ctx, u, editionID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Edition, d.Judges, d.Pending = ed, rows, pendingRows(pending, fmt.Sprintf("/organize/editions/%d/judges", editionID))
	d.Language = cmp.Or(d.Language, web.Lang(c))
	p := s.NewPage(c, "judges.title")
	p.Data = d
	s.Render(c, status, "organize_judges", p)
}

func (s *Server) inviteJudgesPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	text := c.PostForm("addresses")
	lang := c.DefaultPostForm("language", web.Lang(c)) // a form from before the choice existed: as it did then
	res, err := s.Accounts.InviteJudges(c.Request.Context(), web.CurrentUser(c), text, lang, web.Meta(c))
	d := judgesData{Results: res, Language: lang}
	var notAddresses []string
	for _, r := range res {
		switch r.Outcome {
		case services.InviteSent:
			d.Invited++
		case services.InviteNotAnAddress:
			notAddresses = append(notAddresses, r.Address)
		}
	}
	// The lines that are not addresses stay in the box, marked, to be corrected and sent again; the others
	// were dealt with and are listed above it.
	if err == nil && len(notAddresses) > 0 {
		d.Addresses = strings.Join(notAddresses, "\n")
		d.AddressesError = s.text(c).tr("judges.fix_addresses", len(notAddresses))
	}
	if err == nil {
		s.showJudges(c, http.StatusOK, id, d)
		return
	}
	if p, ok := s.Refusal(c, err, ""); ok {
		d.Addresses = text
		d.Error = p.Place(func(field, msg string) bool {
			switch field {
			case "addresses":
				d.AddressesError = msg
			case "language":
				d.LanguageError, d.Language = msg, ""
			default:
				return false
			}
			return true
		})
		s.showJudges(c, p.Status, id, d)
	}
}

// judgesStep ends a roster action: back to the roster with a notice, or the roster with why it was refused.
func (s *Server) judgesStep(c *gin.Context, editionID int64, flash string, err error) {
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/editions/%d/judges", editionID), flash)
		return
	}
	if p, ok := s.Refusal(c, err, ""); ok {
		s.showJudges(c, p.Status, editionID, judgesData{Problem: p.Place(web.Nowhere)})
	}
}

// resendInvitationPage sends a pending judge a new invitation link (the old one keeps working until it
// expires), in the judge's language rather than the organizer's.
func (s *Server) resendInvitationPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	_, err := s.Accounts.ResendInvitation(c.Request.Context(), web.CurrentUser(c), c.PostForm("email"), models.RoleJudge, web.Lang(c), web.Meta(c))
	s.judgesStep(c, id, "flash.invitation_resent", err)
}

// withdrawInvitationPage voids a judge's pending invitation ("email"), as the invitations page does: its links
// stop working.
func (s *Server) withdrawInvitationPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	err := s.Accounts.WithdrawInvitation(c.Request.Context(), web.CurrentUser(c), c.PostForm("email"), models.RoleJudge, web.Meta(c))
	s.judgesStep(c, id, "flash.invitation_withdrawn", err)
}

// removeJudgePage takes a judge off the edition: off its open rounds' panels, their unsubmitted work given to
// others; what they submitted stays. When some places found nobody, the roster says so.
func (s *Server) removeJudgePage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	judgeID, _ := strconv.ParseInt(c.PostForm("judge"), 10, 64)
	res, err := s.Judging.RemoveJudge(c.Request.Context(), web.CurrentUser(c), id, judgeID, web.Meta(c))
	if err == nil && res.Problem != "" {
		s.showJudges(c, http.StatusOK, id, judgesData{Problem: s.Tr(c, "work.reassigned_short", res.Removed, res.Added)})
		return
	}
	s.judgesStep(c, id, "flash.judge_removed", err)
}
