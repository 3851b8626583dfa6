package pages

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The rubric editor: a round's criteria as one plain form (names and descriptions in en/fr/rw, weight, scale,
// and what the scores mean: bands of scores, each with its words in en/fr/rw), blank rows to add criteria and
// bands, a box to remove a criterion, a weight total the server checks (and a script updates as one types),
// and two ways to start: the Hanga template or another round's rubric. Once scores exist the weights, scales
// and the list are fixed, but names, descriptions and bands stay editable.

// blankCriteria is how many empty rows the form offers for new criteria.
const blankCriteria = 2

// rubricRow is one row of the rubric form: a stored criterion, a blank row, or what was sent.
type rubricRow struct {
	Index, N                   int // N counts from 1, for people
	ID                         int64
	NameEN, NameFR, NameRW     string
	DescEN, DescFR, DescRW     string
	Weight, ScaleMin, ScaleMax string
	Bands                      []bandRow // what the scores mean, as models.Descriptors stores it
	Remove                     bool
	Errors                     []string
	weight                     float64 // Weight read, for the total
	// descSent and bandsSent say the form sent the description and the bands: a form without them (one
	// made before they were on the page) keeps the stored ones rather than erasing them.
	descSent, bandsSent bool
}

// bandRow is one band of a criterion's scale on the form ("7–8: strong…"), as typed.
type bandRow struct {
	Index, N   int
	Min, Max   string
	EN, FR, RW string
}

// blank reports a band left empty, which is no band.
func (b bandRow) blank() bool { return strings.TrimSpace(b.Min+b.Max+b.EN+b.FR+b.RW) == "" }

// maxBands is how many bands a criterion may have (services' limit on descriptors).
const maxBands = 10

// bandRows writes a criterion's descriptors as form rows.
func bandRows(ds models.Descriptors) []bandRow {
	out := make([]bandRow, 0, len(ds)+1)
	for _, d := range ds {
		out = append(out, bandRow{Min: strconv.Itoa(d.Min), Max: strconv.Itoa(d.Max), EN: d.Text["en"], FR: d.Text["fr"], RW: d.Text["rw"]})
	}
	return out
}

// rubricData is the rubric page.
type rubricData struct {
	Ctx     *services.RoundContext
	Rows    []rubricRow
	Total   string // the weights' sum as written, for the running total
	TotalOK bool   // it is 100
	Locked  bool   // scores were submitted: weights, scales and the list are fixed
	Sources []copyFrom
	Error   string // about the whole rubric (weights, empty, locked)
	// Summary is each row's problems, linked to the row, for the error summary.
	Summary []frontend.ErrorLink
}

// copyFrom is another round whose rubric can be copied.
type copyFrom struct {
	ID    int64
	Label string
}

func (s *Server) rubricPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	cs, err := s.Judging.Rubric(c.Request.Context(), web.CurrentUser(c), rc.Round.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	rows := make([]rubricRow, 0, len(cs)+blankCriteria)
	for _, cr := range cs {
		rows = append(rows, rubricRow{ID: cr.ID, NameEN: cr.Name["en"], NameFR: cr.Name["fr"], NameRW: cr.Name["rw"],
			DescEN: cr.Description["en"], DescFR: cr.Description["fr"], DescRW: cr.Description["rw"],
			Weight: strconv.FormatFloat(cr.Weight, 'f', -1, 64), ScaleMin: strconv.Itoa(cr.ScaleMin), ScaleMax: strconv.Itoa(cr.ScaleMax),
			Bands: bandRows(cr.Descriptors), weight: cr.Weight})
	}
	s.showRubric(c, http.StatusOK, rc, rows, "")
}

func (s *Server) showRubric(c *gin.Context, status int, rc *services.RoundContext, rows []rubricRow, formErr string) {
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/rubric", rc.Round.ID))
	locked := rc.Round.RubricLockedAt != nil
	if !locked {
		for range blankCriteria {
			rows = append(rows, rubricRow{ScaleMin: "1", ScaleMax: "10"})
		}
	}
	sum := 0.0
	for i := range rows {
		rows[i].Index, rows[i].N = i, i+1
		// One empty band to add (two when there is none yet): without JavaScript, saving offers the next.
		for spare := 0; len(rows[i].Bands) < maxBands && (spare < 1 || len(rows[i].Bands) < 2); spare++ {
			rows[i].Bands = append(rows[i].Bands, bandRow{})
		}
		for k := range rows[i].Bands {
			rows[i].Bands[k].Index, rows[i].Bands[k].N = k, k+1
		}
		if !rows[i].Remove {
			sum += rows[i].weight
		}
	}
	d := rubricData{Ctx: rc, Rows: rows, Total: l10n.Short(web.Lang(c), sum), TotalOK: sum > 99.999999 && sum < 100.000001,
		Locked: locked, Error: formErr}
	for _, r := range rows {
		if len(r.Errors) > 0 {
			d.Summary = append(d.Summary, errorLink(fmt.Sprintf("name-en-%d", r.Index), s.Tr(c, "rubric.criterion", r.N), strings.Join(r.Errors, " ")))
		}
	}
	d.Sources = s.rubricSources(c, rc)
	s.showPage(c, status, "organize_rubric", "rubric.title", d)
}

// readRubricForm reads the rows that were sent; rows left blank are dropped, rows ticked "remove" are kept on
// the page (ticked) but not sent to the service.
func (s *Server) readRubricForm(c *gin.Context) ([]rubricRow, []services.CriterionInput, []int) {
	n, _ := strconv.Atoi(c.PostForm("rows"))
	n = min(max(n, 0), 50)
	var rows []rubricRow
	var in []services.CriterionInput
	var rowOf []int // service index → row index
	for i := range n {
		get := func(k string) string { return strings.TrimSpace(c.PostForm(fmt.Sprintf("%s_%d", k, i))) }
		r := rubricRow{NameEN: get("name_en"), NameFR: get("name_fr"), NameRW: get("name_rw"), Weight: get("weight"),
			DescEN: get("desc_en"), DescFR: get("desc_fr"), DescRW: get("desc_rw"),
			ScaleMin: get("min"), ScaleMax: get("max"), Remove: get("remove") == "on"}
		r.ID, _ = strconv.ParseInt(get("id"), 10, 64)
		_, r.descSent = c.GetPostForm(fmt.Sprintf("desc_en_%d", i))
		_, r.bandsSent = c.GetPostForm(fmt.Sprintf("bands_%d", i))
		nb, _ := strconv.Atoi(get("bands"))
		for k := range min(max(nb, 0), maxBands+1) {
			band := func(f string) string { return strings.TrimSpace(c.PostForm(fmt.Sprintf("band_%s_%d_%d", f, i, k))) }
			b := bandRow{Min: band("min"), Max: band("max"), EN: band("en"), FR: band("fr"), RW: band("rw")}
			if !b.blank() {
				r.Bands = append(r.Bands, b)
			}
		}
		if r.ID == 0 && r.NameEN == "" && r.NameFR == "" && r.NameRW == "" && r.Weight == "" &&
			r.DescEN == "" && r.DescFR == "" && r.DescRW == "" && len(r.Bands) == 0 {
			continue // a blank row left blank
		}
		bad := false
		if r.weight, bad = parseNumber(r.Weight); bad {
			r.Errors = append(r.Errors, s.Tr(c, "rubric.weight_number"))
		}
		lo, err1 := strconv.Atoi(r.ScaleMin)
		hi, err2 := strconv.Atoi(r.ScaleMax)
		if err1 != nil || err2 != nil {
			r.Errors = append(r.Errors, s.Tr(c, "judging.rubric.scale"))
		}
		ds := make(models.Descriptors, 0, len(r.Bands))
		for k, b := range r.Bands {
			bLo, err1 := strconv.Atoi(b.Min)
			bHi, err2 := strconv.Atoi(b.Max)
			if err1 != nil || err2 != nil {
				r.Errors = append(r.Errors, s.Tr(c, "rubric.band_numbers", k+1))
			}
			ds = append(ds, models.Descriptor{Min: bLo, Max: bHi, Text: models.Texts{"en": b.EN, "fr": b.FR, "rw": b.RW}})
		}
		rows = append(rows, r)
		if r.Remove {
			continue
		}
		rowOf = append(rowOf, len(rows)-1)
		in = append(in, services.CriterionInput{ID: r.ID, Name: models.Texts{"en": r.NameEN, "fr": r.NameFR, "rw": r.NameRW},
			Description: models.Texts{"en": r.DescEN, "fr": r.DescFR, "rw": r.DescRW}, Descriptors: ds,
			Weight: r.weight, ScaleMin: lo, ScaleMax: hi})
	}
	return rows, in, rowOf
}

// parseNumber reads a weight as people type it ("12.5" or "12,5"); bad is true when it is not a number.
func parseNumber(raw string) (float64, bool) {
	x, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(raw), ",", "."), 64)
	return x, err != nil
}

func (s *Server) saveRubricPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	rows, in, rowOf := s.readRubricForm(c)
	if stored, err := s.Judging.Rubric(ctx, u, rc.Round.ID); err == nil {
		byID := map[int64]models.Criterion{}
		for _, cr := range stored {
			byID[cr.ID] = cr
		}
		for k, i := range rowOf {
			if cr, ok := byID[in[k].ID]; ok {
				if !rows[i].descSent {
					in[k].Description = cr.Description
				}
				if !rows[i].bandsSent {
					in[k].Descriptors = cr.Descriptors
				}
			}
		}
	}
	for _, r := range rows {
		if len(r.Errors) > 0 {
			s.showRubric(c, http.StatusUnprocessableEntity, rc, rows, s.Tr(c, "error.validation"))
			return
		}
	}
	_, err := s.Judging.SetRubric(ctx, u, rc.Round.ID, in, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/rubric", rc.Round.ID), "flash.rubric_saved")
		return
	}
	if p, ok := s.Refusal(c, err, "rounds.closed_no_change"); ok {
		formErr := p.Place(func(field, text string) bool {
			// criteria.3.name.en → the row that criterion 3 came from
			parts := strings.Split(field, ".")
			if len(parts) < 2 || parts[0] != "criteria" {
				return false
			}
			k, err := strconv.Atoi(parts[1])
			if err != nil || k < 0 || k >= len(rowOf) {
				return false
			}
			// criteria.3.descriptors.1.range → that band, named, since a criterion has several
			switch {
			case len(parts) > 3 && parts[2] == "descriptors":
				if b, err := strconv.Atoi(parts[3]); err == nil {
					text = s.Tr(c, "rubric.band_n", b+1) + s.Tr(c, "punct.colon") + text
				}
			case len(parts) > 2 && parts[2] == "description":
				text = s.Tr(c, "rubric.description") + s.Tr(c, "punct.colon") + text
			}
			rows[rowOf[k]].Errors = append(rows[rowOf[k]].Errors, text)
			return true
		})
		s.showRubric(c, p.Status, rc, rows, formErr)
	}
}

func (s *Server) rubricTemplatePage(c *gin.Context) {
	s.rubricReplace(c, func(rc *services.RoundContext) error {
		_, err := s.Judging.ApplyTemplate(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, web.Meta(c))
		return err
	})
}

func (s *Server) copyRubricPage(c *gin.Context) {
	s.rubricReplace(c, func(rc *services.RoundContext) error {
		from, _ := strconv.ParseInt(c.PostForm("from"), 10, 64)
		_, err := s.Judging.CopyRubric(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, from, web.Meta(c))
		return err
	})
}

// rubricReplace replaces the whole rubric (template or copy) and shows it, or why not.
func (s *Server) rubricReplace(c *gin.Context, replace func(rc *services.RoundContext) error) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	err := replace(rc)
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/rubric", rc.Round.ID), "flash.rubric_saved")
		return
	}
	if p, ok := s.Refusal(c, err, "rounds.closed_no_change"); ok {
		s.showRubric(c, p.Status, rc, nil, p.Place(web.Nowhere))
	}
}

// rubricSources are the rounds whose rubric can be copied: this edition's first, then the other editions',
// each named with its edition. A list that cannot be read leaves only the template to start from.
func (s *Server) rubricSources(c *gin.Context, rc *services.RoundContext) []copyFrom {
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	eds, err := s.Editions.List(ctx, u)
	if err != nil {
		return nil
	}
	slices.SortStableFunc(eds, func(a, b models.Edition) int {
		if (a.ID == rc.Edition.ID) != (b.ID == rc.Edition.ID) {
			if a.ID == rc.Edition.ID {
				return -1
			}
			return 1
		}
		return b.Year - a.Year
	})
	var out []copyFrom
	for _, e := range eds {
		rounds, err := s.Judging.Rounds(ctx, u, e.ID)
		if err != nil {
			continue
		}
		for _, r := range rounds {
			if r.ID == rc.Round.ID {
				continue
			}
			label := r.Name
			if e.ID != rc.Edition.ID {
				label = e.Name + " — " + r.Name
			}
			out = append(out, copyFrom{ID: r.ID, Label: label})
		}
	}
	return out
}
