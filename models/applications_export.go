package models

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// ExportedApplication is one line of the organizer's CSV export: the application's columns the file shows, with
// its team's size and founders and its applicant's name and e-mail. It is read in one query per batch, without
// the answers and the other columns the file leaves out, and scanned column by column: at 250,000 applications
// the general reads (a whole Application through GORM, then the team and the applicant in two more queries)
// were most of the export's time.
type ExportedApplication struct {
	ID        int64
	Reference string // "" before the first submission
	Status    ApplicationStatus
	Startup
	Pitch
	WomenLed         string
	IneligibleReason string
	TeamSize         int
	Founders         int
	ApplicantName    string // "" once the applicant deleted their account
	ApplicantEmail   string
	FirstSubmittedAt *time.Time
	SubmittedAt      *time.Time

	// The sort keys, for the next batch's cursor.
	nameKey   string
	createdAt time.Time
}

// exportSelect reads ExportedApplication's columns, in scanExported's order, of the applications named by the
// placeholder (a list of ids, given twice).
const exportSelect = `SELECT a.id, a.reference, a.status, a.startup_name, a.registration_number, a.founded_on, a.website,
  a.sector, a.province, a.district, a.stage, a.employees, a.revenue_band, a.funding_raised,
  a.one_liner, a.problem, a.solution, a.market, a.business_model, a.traction, a.competition, a.impact, a.use_of_prize,
  a.women_led, a.ineligible_reason, COALESCE(t.n, 0), COALESCE(t.f, 0), COALESCE(u.name, ''), COALESCE(u.email, ''),
  a.first_submitted_at, a.submitted_at, a.name_key, a.created_at
FROM applications a
LEFT JOIN users u ON u.id = a.applicant_id
LEFT JOIN (SELECT application_id, COUNT(*) AS n, SUM(CASE WHEN founder THEN 1 ELSE 0 END) AS f
           FROM team_members WHERE application_id IN ? GROUP BY application_id) t ON t.application_id = a.id
WHERE a.id IN ?`

// ExportApplications returns one batch of the applications that match f in the order sort, after the cursor
// (the previous batch's, "" for the first), for the CSV export, and the cursor of the next batch ("" after the
// last). The batches walk the intake list's keyset order, as ListApplications does, but may be larger than its
// pages (limit up to 5,000). A malformed cursor is a *ValidationError.
func (s *Store) ExportApplications(ctx context.Context, f ApplicationFilter, sort ApplicationSort, after string, limit int) ([]ExportedApplication, string, error) {
	if !sort.Valid() {
		sort = SortNewest
	}
	limit = min(max(limit, 1), 5_000)
	q, err := afterCursor(s.filtered(ctx, f), sort, after)
	if err != nil {
		return nil, "", err
	}
	var ids []int64
	if err := q.Order(orders[sort][0]).Limit(limit+1).Pluck("id", &ids).Error; err != nil {
		return nil, "", translate(err)
	}
	more := len(ids) > limit
	if more {
		ids = ids[:limit]
	}
	out, err := s.ExportedApplicationsByIDs(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if more && len(out) > 0 {
		last := &out[len(out)-1]
		next = encodeCursor(&Application{ID: last.ID, NameKey: last.nameKey, CreatedAt: last.createdAt,
			FirstSubmittedAt: last.FirstSubmittedAt}, sort)
	}
	return out, next, nil
}

// ExportedApplicationsByIDs reads the export lines of the applications with the given ids, in that order;
// ids of no application are left out. A selection of the intake list is exported with it.
func (s *Store) ExportedApplicationsByIDs(ctx context.Context, ids []int64) ([]ExportedApplication, error) {
	out := make([]ExportedApplication, 0, len(ids))
	at := make(map[int64]int, len(ids))
	for chunk := range slices.Chunk(ids, inBatch/2) { // the chunk is bound twice
		err := scanRows(s.conn(ctx).Raw(exportSelect, chunk, chunk).Rows, func(rows *sql.Rows) error {
			var e ExportedApplication
			if err := scanExported(rows, &e); err != nil {
				return err
			}
			at[e.ID] = len(out)
			out = append(out, e)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// Back into the order asked for; an id read twice or not at all keeps no line of its own.
	ordered := make([]ExportedApplication, 0, len(out))
	for _, id := range ids {
		if i, ok := at[id]; ok {
			ordered = append(ordered, out[i])
			delete(at, id)
		}
	}
	return ordered, nil
}

// scanExported reads one row of exportSelect into e.
func scanExported(rows *sql.Rows, e *ExportedApplication) error {
	var ref sql.NullString
	var employees, funding sql.NullInt64
	var first, submitted sql.NullTime
	st, p := &e.Startup, &e.Pitch
	err := rows.Scan(&e.ID, &ref, &e.Status, &st.StartupName, &st.RegistrationNumber, &st.FoundedOn, &st.Website,
		&st.Sector, &st.Province, &st.District, &st.Stage, &employees, &st.RevenueBand, &funding,
		&p.OneLiner, &p.Problem, &p.Solution, &p.Market, &p.BusinessModel, &p.Traction, &p.Competition, &p.Impact, &p.UseOfPrize,
		&e.WomenLed, &e.IneligibleReason, &e.TeamSize, &e.Founders, &e.ApplicantName, &e.ApplicantEmail,
		&first, &submitted, &e.nameKey, &e.createdAt)
	if err != nil {
		return err
	}
	e.Reference = ref.String
	if employees.Valid {
		n := int(employees.Int64)
		st.Employees = &n
	}
	if funding.Valid {
		st.FundingRaised = &funding.Int64
	}
	if first.Valid {
		e.FirstSubmittedAt = &first.Time
	}
	if submitted.Valid {
		e.SubmittedAt = &submitted.Time
	}
	return nil
}
