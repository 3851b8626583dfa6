package services

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
)

// exportBatch is how many rows Export reads per batch (two queries: the ids from the order's index, then the
// rows): memory stays flat however many applications there are (a batch is a few MB), and 250,000
// applications take 125 batches.
const exportBatch = 2_000

// exportBuffer is how much of the file is gathered before it is handed to the connection: a spreadsheet row is
// a few hundred bytes, and writing each few kilobytes to the response cost more than forming them.
const exportBuffer = 64 << 10

// ExportColumns are the CSV export's columns, in order.
var ExportColumns = []string{"reference", "status", "startup_name", "registration_number", "founded_on", "website",
	"sector", "province", "district", "stage", "employees", "revenue_band", "funding_raised", "women_led",
	"team_size", "founders", "applicant_name", "applicant_email", "first_submitted_at", "submitted_at",
	"one_liner", "problem", "solution", "market", "business_model", "traction", "competition", "impact",
	"use_of_prize", "ineligible_reason",
	// The same codes in words, in the language of whoever downloads the file; last, so that the columns above
	// keep their places for programs that read them by position.
	"status_label", "sector_label", "province_label", "district_label", "stage_label", "revenue_band_label",
	"women_led_label"}

// Export writes the applications matching q (all pages, in q's order) as CSV to w: UTF-8 with a byte-order mark
// so spreadsheet programs read Kinyarwanda and French names right, times in the edition's time zone, and cells
// that a spreadsheet would run as formulas defused. Rows go out in batches, flush (if not nil) after each, so
// the file is never held in memory. Check the edition and filter with ExportCheck before writing headers: an
// error after the first byte can only cut the file short. label writes the *_label columns (nil leaves them
// empty).
func (s *Applications) Export(ctx context.Context, actor *models.User, editionID int64, q ListQuery, label reference.Labeler,
	w io.Writer, flush func()) error {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return err
	}
	f, v := q.filter(e)
	if v != nil {
		return v
	}
	ew := newExportWriter(w, e, label)
	if err := ew.header(); err != nil {
		return err
	}
	// The next batch is read while this one is written, so that the database's time and the connection's
	// overlap. A batch read for nothing (the writing failed) ends with the request's context.
	read := func(after string) <-chan exportRead {
		ch := make(chan exportRead, 1)
		go func() {
			rows, next, err := s.Store.ExportApplications(ctx, f, models.ApplicationSort(q.Sort), after, exportBatch)
			ch <- exportRead{rows, next, err}
		}()
		return ch
	}
	pending := read("")
	for {
		b := <-pending
		if b.err != nil {
			return b.err
		}
		if b.next != "" {
			pending = read(b.next)
		}
		if err := ew.rows(b.rows); err != nil {
			return err
		}
		if flush != nil {
			flush()
		}
		if b.next == "" {
			return nil
		}
	}
}

// exportRead is one batch of the export as read: its rows and the next batch's cursor ("" after the last).
type exportRead struct {
	rows []models.ExportedApplication
	next string
	err  error
}

// ExportCheck reports the errors Export would fail with before writing anything, so a handler can still answer
// with a proper error status.
func (s *Applications) ExportCheck(ctx context.Context, actor *models.User, editionID int64, q ListQuery) (*models.Edition, error) {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return nil, err
	}
	if _, v := q.filter(e); v != nil {
		return nil, v
	}
	return e, nil
}

// exportWriter writes the CSV export of an edition's applications: the byte-order mark and header, then rows.
type exportWriter struct {
	buf    *bufio.Writer
	cw     *csv.Writer
	labels *exportLabels
	loc    *time.Location
	row    []string // one row's cells, reused: the csv writer keeps none of them
}

func newExportWriter(w io.Writer, e *models.Edition, label reference.Labeler) *exportWriter {
	buf := bufio.NewWriterSize(w, exportBuffer)
	cw := csv.NewWriter(buf) // writes into buf itself, which is larger than its own default
	cw.UseCRLF = true        // what spreadsheet programs expect (RFC 4180)
	return &exportWriter{buf: buf, cw: cw, labels: newExportLabels(e, label), loc: e.Location(),
		row: make([]string, len(ExportColumns))}
}

// header writes the byte-order mark and the column names.
func (ew *exportWriter) header() error {
	if _, err := ew.buf.WriteString("\uFEFF"); err != nil {
		return err
	}
	if err := ew.cw.Write(ExportColumns); err != nil {
		return err
	}
	return ew.flush()
}

// flush hands everything written so far to the underlying writer.
func (ew *exportWriter) flush() error {
	ew.cw.Flush()
	if err := ew.cw.Error(); err != nil {
		return err
	}
	return ew.buf.Flush()
}

// rows writes one row per application and flushes them to the underlying writer.
func (ew *exportWriter) rows(apps []models.ExportedApplication) error {
	for n := range apps {
		a := &apps[n]
		row := append(ew.row[:0], a.Reference, string(a.Status), a.StartupName, a.RegistrationNumber, a.FoundedOn,
			a.Website, a.Sector, a.Province, a.District, a.Stage, intPtr(a.Employees), a.RevenueBand,
			int64Ptr(a.FundingRaised), a.WomenLed, strconv.Itoa(a.TeamSize), strconv.Itoa(a.Founders), a.ApplicantName,
			a.ApplicantEmail, ew.time(a.FirstSubmittedAt), ew.time(a.SubmittedAt), a.OneLiner, a.Problem, a.Solution,
			a.Market, a.BusinessModel, a.Traction, a.Competition, a.Impact, a.UseOfPrize, a.IneligibleReason)
		row = ew.labels.append(row, a)
		for i := range row {
			row[i] = defuse(row[i])
		}
		if err := ew.cw.Write(row); err != nil {
			return err
		}
	}
	return ew.flush()
}

// time is a moment as the edition's clock showed it, "" for none.
func (ew *exportWriter) time(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(ew.loc).Format("2006-01-02 15:04:05")
}

// exportLabels writes the label columns of a row: an application's codes in words, a sector the organizer
// added to the edition under the name they gave it. A file names the same few dozen codes on every row, so
// each is looked up in the catalogs once per export.
type exportLabels struct {
	e     *models.Edition
	label reference.Labeler
	seen  map[labelKey]string
}

type labelKey struct {
	kind reference.Kind
	code string
}

func newExportLabels(e *models.Edition, label reference.Labeler) *exportLabels {
	return &exportLabels{e: e, label: label, seen: map[labelKey]string{}}
}

// exportLabelKinds are the codes the label columns put in words, in the columns' order.
var exportLabelKinds = []reference.Kind{reference.KindStatus, reference.KindSector, reference.KindProvince,
	reference.KindDistrict, reference.KindStage, reference.KindRevenueBand, reference.KindWomenLed}

// append adds a's label cells to row (empty ones without a labeler).
func (l *exportLabels) append(row []string, a *models.ExportedApplication) []string {
	codes := [...]string{string(a.Status), a.Sector, a.Province, a.District, a.Stage, a.RevenueBand, a.WomenLed}
	for i, k := range exportLabelKinds {
		if l.label == nil {
			row = append(row, "")
		} else {
			row = append(row, l.of(k, codes[i]))
		}
	}
	return row
}

// of is the label of one code, looked up once.
func (l *exportLabels) of(k reference.Kind, code string) string {
	key := labelKey{k, code}
	if s, ok := l.seen[key]; ok {
		return s
	}
	s := l.label(k, code)
	if k == reference.KindSector && s == code {
		for _, sec := range l.e.Sectors {
			if sec.Code == code && sec.Label != "" {
				s = sec.Label
			}
		}
	}
	l.seen[key] = s
	return s
}

// defuse stops a spreadsheet from running a cell as a formula (OWASP "CSV injection"): a leading =, +, -, @,
// tab or carriage return gets a quote in front. Numbers are ours and never negative, so none is altered.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func intPtr(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func int64Ptr(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}
