package models

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"
)

// ExportedApplication is one line of the organizer's CSV export: the application's columns the file shows, with
// its team's size and founders and its applicant's name and e-mail. It is read in two queries per batch, without
// the answers and the other columns the file leaves out, and scanned column by column: at 250,000 applications
// the general reads (a whole Application through GORM, then the whole team and applicant) were most of the
// export's time.
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

	applicantID int64 // 0 for none
	// The sort keys, for the next batch's cursor.
	nameKey   string
	createdAt time.Time
}

// exportSelect reads ExportedApplication's columns, in scanExported's order, of the applications whose ids
// follow (idList). The founders are the sum of the team summary the statistics keep (migration 00009, kept
// right by triggers on every change to a team), which spares reading each team member's row; the team's size
// is counted from its index alone. The applicants are read apart (see ExportedApplicationsByIDs).
const exportSelect = `SELECT a.id, a.reference, a.status, a.startup_name, a.registration_number, a.founded_on, a.website,
  a.sector, a.province, a.district, a.stage, a.employees, a.revenue_band, a.funding_raised,
  a.one_liner, a.problem, a.solution, a.market, a.business_model, a.traction, a.competition, a.impact, a.use_of_prize,
  a.women_led, a.ineligible_reason, (SELECT COUNT(*) FROM team_members tm WHERE tm.application_id = a.id),
  a.founders_women + a.founders_men + a.founders_another + a.founders_undisclosed, COALESCE(a.applicant_id, 0),
  a.first_submitted_at, a.submitted_at, a.name_key, a.created_at
FROM applications a WHERE a.id `

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
	// Each row is scanned straight into its place: a batch's rows are a few MB, read 125 times per file.
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		if _, ok := at[id]; !ok {
			at[id] = i
		}
	}
	out := make([]ExportedApplication, len(ids))
	found := make([]bool, len(ids))
	var applicants []int64
	var e ExportedApplication
	for chunk := range slices.Chunk(ids, inBatch) {
		in, list := s.idList(chunk)
		err := scanRows(s.conn(ctx).Raw(exportSelect+in, list).Rows, func(rows *sql.Rows) error {
			if err := scanExported(rows, &e); err != nil {
				return err
			}
			if e.applicantID != 0 {
				applicants = append(applicants, e.applicantID)
			}
			i := at[e.ID]
			out[i], found[i] = e, true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// The applicants by their key, apart: joined to the applications, PostgreSQL read all of the users
	// (hundreds of thousands) for each batch rather than look up its two thousand.
	people, err := s.namesAndEmails(ctx, applicants)
	if err != nil {
		return nil, err
	}
	// Gone since the ids were read, or asked for twice: no line.
	n := 0
	for i := range out {
		if found[i] {
			out[n] = out[i]
			if p, ok := people[out[n].applicantID]; ok {
				out[n].ApplicantName, out[n].ApplicantEmail = p[0], p[1]
			}
			n++
		}
	}
	return out[:n], nil
}

// namesAndEmails reads the name and e-mail address of each user of ids.
func (s *Store) namesAndEmails(ctx context.Context, ids []int64) (map[int64][2]string, error) {
	out := make(map[int64][2]string, len(ids))
	for chunk := range slices.Chunk(ids, inBatch) {
		in, list := s.idList(chunk)
		err := scanRows(s.conn(ctx).Raw(`SELECT id, name, email FROM users WHERE id `+in, list).Rows, func(rows *sql.Rows) error {
			var id int64
			var p [2]string
			if err := rows.Scan(&id, &p[0], &p[1]); err != nil {
				return err
			}
			out[id] = p
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanExported reads one row of exportSelect into e.
func scanExported(rows *sql.Rows, e *ExportedApplication) error {
	*e = ExportedApplication{} // e is reused: a NULL must not leave the previous row's value
	var ref sql.NullString
	var employees, funding sql.NullInt64
	var first, submitted sql.NullTime
	st, p := &e.Startup, &e.Pitch
	err := rows.Scan(&e.ID, &ref, &e.Status, &st.StartupName, &st.RegistrationNumber, &st.FoundedOn, &st.Website,
		&st.Sector, &st.Province, &st.District, &st.Stage, &employees, &st.RevenueBand, &funding,
		&p.OneLiner, &p.Problem, &p.Solution, &p.Market, &p.BusinessModel, &p.Traction, &p.Competition, &p.Impact, &p.UseOfPrize,
		&e.WomenLed, &e.IneligibleReason, &e.TeamSize, &e.Founders, &e.applicantID,
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

// idList is the condition and argument that name ids in "WHERE id …": one array on PostgreSQL, which plans it in
// a fraction of the time two thousand bound values take; the values themselves on SQLite.
func (s *Store) idList(ids []int64) (string, any) {
	if s.dialect != DialectPostgres {
		return "IN ?", ids
	}
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '{')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return "= ANY(?::bigint[])", string(append(b, '}'))
}
