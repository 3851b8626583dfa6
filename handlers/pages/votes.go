package pages

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/qrsvg"
	"github.com/pitchfest/pitchfest/services"
)

// The organizer's page of the audience vote of a final round (/organize/rounds/{id}/vote), linked from the
// cockpit, the rounds page and the live console: the settings, opening and closing, printed codes, turnout,
// anomaly flags with their void forms, and after the close the totals, the people's choice and votes.csv.

// votePageRoutes registers the organizer's vote pages in g (signed in).
func (s *Server) votePageRoutes(g *gin.RouterGroup) {
	g.GET("/organize/rounds/:id/vote", viewAt(s, "organize_vote", "votes.title", s.loadVoteAdmin))
	g.POST("/organize/rounds/:id/vote/settings", s.voteSettings)
	g.POST("/organize/rounds/:id/vote/open", s.voteAction(func(c *gin.Context, id int64) error {
		return s.Judging.OpenVote(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	}))
	g.POST("/organize/rounds/:id/vote/close", s.voteAction(func(c *gin.Context, id int64) error {
		return s.Judging.CloseVote(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	}))
	g.POST("/organize/rounds/:id/vote/codes", s.voteCodes)
	g.POST("/organize/rounds/:id/vote/void", s.voteVoid)
	g.POST("/organize/rounds/:id/vote/tie", s.voteTie)
	g.GET("/organize/rounds/:id/votes.csv", s.votesCSV)
}

// voteAdminData is the organizer's vote page.
type voteAdminData struct {
	*services.VoteAdmin
	Address  string // the voter's page, as the stage screen shows it
	Opened   string
	Closed   string
	Flags    []voteFlagRow
	Percent  string            // the audience's share as typed
	Errors   map[string]string // messages next to fields: audience_percent, count, reason-<flag>, tie_reason
	Error    string
	VoidFlag int // which flag's form a void message belongs to
	Reason   string
}

// stageVote is the audience vote as the stage screen shows it: the address to type (without its scheme,
// shorter to read from the back of the room) and a QR code of it. The address is in two parts, its host and
// its path (/v/<short>), so that a line too narrow breaks it between them and never inside the short code.
type stageVote struct {
	Host string
	Path string
	QR   template.HTML
}

// stageVote is the vote at /v/<short> for the stage screen, nil without one (short is "").
func (s *Server) stageVote(c *gin.Context, short string) *stageVote {
	if short == "" {
		return nil
	}
	full := s.AbsoluteURL(c, "/v/"+short)
	shown := full[strings.Index(full, "://")+3:]
	qr, err := qrsvg.SVG(full, s.Tr(c, "screen.vote_how")+" "+shown)
	if err != nil {
		s.Log.ErrorContext(c.Request.Context(), "vote QR code", "err", err)
	}
	return &stageVote{Host: strings.TrimSuffix(shown, "/v/"+short), Path: "/v/" + short, QR: qr}
}

// voteFlagRow is one anomaly as the page lists it.
type voteFlagRow struct {
	Index int
	Kind  string
	Key   string
	Votes []voteFlagVote
	Open  int // votes not void yet
}

type voteFlagVote struct {
	ID   int64
	At   string
	Void string
}

func (s *Server) loadVoteAdmin(c *gin.Context, id int64) (*voteAdminData, error) {
	v, err := s.Judging.VoteAdmin(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		return nil, err
	}
	lang := web.Lang(c)
	d := &voteAdminData{VoteAdmin: v, Errors: map[string]string{}, Percent: strconv.Itoa(v.Settings.AudiencePercent)}
	if v.Settings.Short != "" {
		d.Address = s.AbsoluteURL(c, "/v/"+v.Settings.Short)
	}
	if at := v.Settings.OpenedAt; at != nil {
		d.Opened = l10n.When(lang, *at, l10n.DefaultZone)
	}
	if at := v.Settings.ClosedAt; at != nil {
		d.Closed = l10n.When(lang, *at, l10n.DefaultZone)
	}
	for i, f := range v.Flags {
		row := voteFlagRow{Index: i, Kind: f.Kind, Key: f.Key}
		for _, x := range f.Votes {
			row.Votes = append(row.Votes, voteFlagVote{ID: x.ID, At: l10n.When(lang, x.At, l10n.DefaultZone), Void: x.VoidReason})
			if x.VoidReason == "" {
				row.Open++
			}
		}
		d.Flags = append(d.Flags, row)
	}
	return d, nil
}

// voteDone ends an action of the vote page: back to it, or the page with the service's message, next to its
// field when it is about one. flash (a message id, or "") is the notice left after a success the page does not
// show by itself (saved settings look like unsaved ones).
func (s *Server) voteDone(c *gin.Context, id int64, err error, flash string, typed func(d *voteAdminData)) {
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/vote", id))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/vote", id), flash)
		return
	}
	p, ok := s.Refusal(c, err, "")
	if !ok {
		return
	}
	d, lerr := s.loadVoteAdmin(c, id)
	if lerr != nil {
		s.Fail(c, lerr)
		return
	}
	placed := false
	d.Error = p.Place(func(field, text string) bool {
		switch field {
		case "audience_percent", "count", "reason", "votes", "mode", "identity":
			d.Errors[field] = text
			placed = true
			return true
		}
		return false
	})
	if placed && d.Error == p.Message {
		d.Error = ""
	}
	if typed != nil {
		typed(d)
	}
	s.showPage(c, p.Status, "organize_vote", "votes.title", d)
}

func (s *Server) voteAction(act func(c *gin.Context, id int64) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.PathID(c, "id")
		if !ok {
			return
		}
		s.voteDone(c, id, act(c, id), "", nil)
	}
}

func (s *Server) voteSettings(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	typed := strings.TrimSpace(c.PostForm("audience_percent"))
	in := services.VoteSettingsInput{Mode: c.PostForm("mode"), Identity: c.PostForm("identity")}
	var err error
	if n, perr := strconv.Atoi(strings.TrimSuffix(typed, "%")); perr == nil {
		in.AudiencePercent = n
	} else if in.Mode == models.VoteModeCombined {
		err = models.NewValidationError("audience_percent", "votes.weight")
	}
	if err == nil {
		_, err = s.Judging.SaveVoteSettings(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	}
	s.voteDone(c, id, err, "flash.vote_settings_saved", func(d *voteAdminData) {
		d.Percent, d.Settings.Mode, d.Settings.Identity = typed, in.Mode, in.Identity
	})
}

// voteCodes generates codes and answers them at once, since only their hashes are kept: as a printable sheet
// (format=sheet; print it, or save it as a PDF from the browser's print dialog) or as codes.csv.
func (s *Server) voteCodes(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	typed := strings.TrimSpace(c.PostForm("count"))
	n, perr := strconv.Atoi(typed)
	if perr != nil {
		n = 0
	}
	codes, batch, err := s.Judging.GenerateVoterCodes(c.Request.Context(), web.CurrentUser(c), id, n, web.Meta(c))
	if err != nil {
		s.voteDone(c, id, err, "", nil)
		return
	}
	v, err := s.Judging.VoteAdmin(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	address := s.AbsoluteURL(c, "/v/"+v.Settings.Short)
	c.Header("Cache-Control", "no-store")
	if c.PostForm("format") == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="codes-round-%d-batch-%d.csv"`, id, batch))
		c.Status(http.StatusOK)
		if err := services.WriteCodesCSV(c.Writer, codes, address); err != nil {
			s.Log.ErrorContext(c.Request.Context(), "codes csv", "err", err)
		}
		return
	}
	p := s.NewPage(c, "votes.sheet_title")
	p.Data = &codeSheet{Round: v.Round, Batch: batch, Codes: codes, Address: address, Short: v.Settings.Short,
		Host: strings.TrimSuffix(address, "/v/"+v.Settings.Short)}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(http.StatusOK)
	if err := s.Renderer.RenderBlock(c.Writer, "vote_codes", "codes-document", p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render failed", "page", "vote_codes", "err", err)
	}
}

// codeSheet is the printable sheet of a batch of codes: one slip per code, to cut and hand out.
type codeSheet struct {
	Round   *models.Round
	Batch   int
	Codes   []string
	Address string
	Host    string
	Short   string
}

// voteVoid voids the ticked votes of a flag (vote=<id>, repeated) for the reason given.
func (s *Server) voteVoid(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	var ids []int64
	for _, v := range c.Request.PostForm["vote"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			ids = append(ids, n)
		}
	}
	reason := c.PostForm("reason")
	flag, _ := strconv.Atoi(c.PostForm("flag"))
	_, err := s.Judging.VoidVotes(c.Request.Context(), web.CurrentUser(c), id, ids, reason, web.Meta(c))
	s.voteDone(c, id, err, "", func(d *voteAdminData) { d.VoidFlag, d.Reason = flag, reason })
}

// voteTie grants the people's choice to one of the finalists tied for the most votes, for the reason given.
func (s *Server) voteTie(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	reason := c.PostForm("tie_reason")
	err := s.Judging.BreakVoteTie(c.Request.Context(), web.CurrentUser(c), id, formID(c, "application_id"), reason, web.Meta(c))
	s.voteDone(c, id, err, "", func(d *voteAdminData) {
		d.Reason, d.VoidFlag = reason, -1
		if m, ok := d.Errors["reason"]; ok {
			d.Errors["tie_reason"] = m
			delete(d.Errors, "reason")
		}
	})
}

// votesCSV downloads the closed vote's valid votes per finalist (reference,startup_name,votes).
func (s *Server) votesCSV(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	if _, err := s.Judging.VoteExport(c.Request.Context(), web.CurrentUser(c), id); err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="votes-round-%d.csv"`, id))
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if err := s.Judging.WriteVotesCSV(c.Request.Context(), web.CurrentUser(c), id, c.Writer); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "votes csv", "err", err)
	}
}
