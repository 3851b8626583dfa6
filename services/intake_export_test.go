package services_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// The export reads its rows its own way (one query a batch, scanned column by column, labels looked up once);
// whatever it writes must be, byte for byte, the file the intake list's general reads give: every application
// the list shows, in its order, with its team and applicant, formatted as the export has always formatted it.
func TestTheExportWritesExactlyWhatTheIntakeListShows(t *testing.T) {
	w := newIntakeWorld(t)
	w.edition.Sectors = append(w.edition.Sectors, models.Sector{Code: "space", Label: "Space, \"orbital\" tech"})
	if err := w.st.UpdateEdition(ctx, w.edition); err != nil {
		t.Fatal(err)
	}
	seedVariedEdition(t, w, 2_300) // more than one batch
	labels := func(k reference.Kind, code string) string {
		if k == reference.KindSector && code == "space" {
			return code // not in the catalogs: the edition's own label is used
		}
		return "<" + string(k) + ":" + code + ">"
	}
	for _, q := range []services.ListQuery{{}, {Sort: "oldest"}, {Sort: "name"}, {Status: "ineligible"},
		{Sector: "space", Sort: "name"}, {Search: "zz"}} {
		for _, label := range []reference.Labeler{labels, nil} {
			var got bytes.Buffer
			if err := w.apps.Export(ctx, w.organizer, w.edition.ID, q, label, &got, nil); err != nil {
				t.Fatal(err)
			}
			want := listedExport(t, w, q, label)
			if !bytes.Equal(got.Bytes(), want) {
				gl, wl := strings.Split(got.String(), "\r\n"), strings.Split(string(want), "\r\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("%+v (labels %v): line %d is\n%q\nwant\n%q", q, label != nil, i, gl[i], wl[i])
					}
				}
				t.Fatalf("%+v (labels %v): %d lines, want %d", q, label != nil, len(gl), len(wl))
			}
			if q.Search == "" && q.Status == "" && q.Sector == "" && bytes.Count(want, []byte("\r\n")) < 2_300 {
				t.Fatalf("%+v: only %d lines", q, bytes.Count(want, []byte("\r\n")))
			}
		}
	}
}

// listedExport is the export as it was written from the intake list's pages: each application read whole,
// its team and applicant added, every cell formatted on its own.
func listedExport(t *testing.T, w *intakeWorld, q services.ListQuery, label reference.Labeler) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	if err := cw.Write(services.ExportColumns); err != nil {
		t.Fatal(err)
	}
	loc := w.edition.Location()
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04:05")
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	q.Limit = 500
	for {
		l, err := w.apps.List(ctx, w.organizer, w.edition.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range l.Items {
			a := &it.Application
			var employees *int64
			if a.Employees != nil {
				employees = new(int64(*a.Employees))
			}
			row := []string{a.RefString(), string(a.Status), a.StartupName, a.RegistrationNumber, a.FoundedOn, a.Website,
				a.Sector, a.Province, a.District, a.Stage, num(employees), a.RevenueBand, num(a.FundingRaised), a.WomenLed,
				strconv.Itoa(it.TeamSize), strconv.Itoa(it.Founders), it.ApplicantName, it.ApplicantEmail,
				ts(a.FirstSubmittedAt), ts(a.SubmittedAt), a.OneLiner, a.Problem, a.Solution, a.Market, a.BusinessModel,
				a.Traction, a.Competition, a.Impact, a.UseOfPrize, a.IneligibleReason}
			row = append(row, listedLabels(w.edition, label, a)...)
			for i, c := range row {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					row[i] = "'" + c
				}
			}
			if err := cw.Write(row); err != nil {
				t.Fatal(err)
			}
		}
		if l.Next == "" {
			break
		}
		q.After = l.Next
	}
	cw.Flush()
	return buf.Bytes()
}

// listedLabels are the label cells of a, each looked up on its own.
func listedLabels(e *models.Edition, label reference.Labeler, a *models.Application) []string {
	if label == nil {
		return make([]string, 7)
	}
	sector := label(reference.KindSector, a.Sector)
	if sector == a.Sector {
		for _, sec := range e.Sectors {
			if sec.Code == a.Sector && sec.Label != "" {
				sector = sec.Label
			}
		}
	}
	return []string{label(reference.KindStatus, string(a.Status)), sector, label(reference.KindProvince, a.Province),
		label(reference.KindDistrict, a.District), label(reference.KindStage, a.Stage),
		label(reference.KindRevenueBand, a.RevenueBand), label(reference.KindWomenLed, a.WomenLed)}
}

// seedVariedEdition adds n applications in bulk with everything a cell can hold: every status, references or
// none, numbers or none, text with commas, quotes, line breaks, accents and formula openers, names shared by
// several (so the orders break ties by id), times shared to the second, teams of 0 to 5 with or without
// founders (changed after they were written), and applicants gone.
func seedVariedEdition(t *testing.T, w *intakeWorld, n int) {
	t.Helper()
	r := rand.New(rand.NewPCG(2026, 7))
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	texts := []string{"", "plain", "Ibibazo by'abahinzi; \"quoted\",\nmultiline", "=SUM(A1:A9)", "-3 dB", "+250 788",
		"@home", "\ttabbed", "café à Kigali — ubuhinzi", "zz top", "line\r\nbreak", " leading space"}
	now := w.clock.now()
	users := make([]models.User, n)
	for i := range users {
		email := fmt.Sprintf("varied%04d-%d@example.rw", i, r.IntN(1000))
		users[i] = models.User{Email: email, EmailNorm: email, Name: pick("Uwase, Aline", "Jean \"JB\" Bosco", "=cmd", "Éric", "Mukamana"),
			Lang: "rw", CreatedAt: now, UpdatedAt: now}
	}
	if err := w.st.BulkCreate(ctx, users); err != nil {
		t.Fatal(err)
	}
	apps := make([]models.Application, n)
	seq := int64(1000)
	for i := range apps {
		a := &apps[i]
		a.EditionID, a.ApplicantID = w.edition.ID, &users[i].ID
		if r.IntN(20) == 0 {
			a.ApplicantID = nil // the account was deleted
		}
		a.Status = models.ApplicationStatus(pick("draft", "submitted", "submitted", "submitted", "ineligible", "withdrawn"))
		a.CreatedAt = now.Add(-time.Duration(r.IntN(600)) * time.Minute)
		if a.Status != models.StatusDraft {
			seq++
			a.Seq, a.Reference = new(seq), new(fmt.Sprintf("HPF-2026-%06d", seq))
			first := a.CreatedAt.Add(time.Duration(r.IntN(3)) * time.Hour)
			a.FirstSubmittedAt, a.SubmittedAt = &first, new(first.Add(time.Duration(r.IntN(90))*time.Minute))
		}
		a.StartupName = pick("Agri", "agri", "Zeta", "=Formula", "Umurage", "Éclair") + pick("", " Ltd", " 2", ", Inc")
		a.RegistrationNumber, a.FoundedOn, a.Website = pick("", "108-554"), pick("", "2021-04-09"), pick("", "https://x.rw")
		a.Sector = pick("agriculture", "fintech", "health", "space")
		a.Province, a.District = pick("kigali", "southern"), pick("gasabo", "huye", "")
		a.Stage, a.RevenueBand = pick("idea", "mvp", "growth", ""), pick("", "none", "under_1m")
		if r.IntN(3) > 0 {
			a.Employees = new(r.IntN(50))
		}
		if r.IntN(3) > 0 {
			a.FundingRaised = new(int64(r.IntN(5_000_000)))
		}
		a.Pitch = models.Pitch{OneLiner: pick(texts...), Problem: pick(texts...), Solution: pick(texts...), Market: pick(texts...),
			BusinessModel: pick(texts...), Traction: pick(texts...), Competition: pick(texts...), Impact: pick(texts...),
			UseOfPrize: pick(texts...)}
		a.WomenLed = pick("women_led", "not_women_led", "undisclosed")
		if a.Status == models.StatusIneligible {
			a.IneligibleReason = pick("Not registered in Rwanda", "-late", "")
		}
		a.Version, a.UpdatedAt = 1, now
	}
	if err := w.st.CreateApplicationsInBulk(ctx, apps); err != nil {
		t.Fatal(err)
	}
	var team []models.TeamMember
	for i := range apps {
		for p := range r.IntN(6) {
			team = append(team, models.TeamMember{ApplicationID: apps[i].ID, Position: p + 1, Name: pick("Aline", "Bosco"),
				Founder: r.IntN(2) == 0, CreatedAt: now, UpdatedAt: now})
		}
	}
	if err := w.st.BulkCreate(ctx, team); err != nil {
		t.Fatal(err)
	}
	// Teams change after they are written, as applicants edit them.
	for _, q := range []string{`UPDATE team_members SET founder = NOT founder WHERE id % 7 = 0`,
		`DELETE FROM team_members WHERE id % 11 = 0`} {
		if err := w.st.DB().Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
}
