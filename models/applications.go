package models

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ApplicationStatus is where an application stands. Later workflows add the judging statuses; the table has no
// CHECK on it so they can, and services validate transitions.
type ApplicationStatus string

// The statuses of the intake stage.
const (
	StatusDraft      ApplicationStatus = "draft"      // being written; not seen by judges
	StatusSubmitted  ApplicationStatus = "submitted"  // at least one version submitted before the deadline
	StatusIneligible ApplicationStatus = "ineligible" // set aside by an organizer, with a reason
	StatusWithdrawn  ApplicationStatus = "withdrawn"  // taken back by the applicant
)

// The announced statuses. They are never stored in applications.status: services.Publishing.AnnouncedStatuses
// derives them from the publications live at the time of asking, so nobody — the applicant included — can
// learn from a status what an embargoed publication will announce, and a correction that changes the winners
// changes the statuses the moment it goes live, with nothing to rewrite. (The stored status stays
// "submitted", which the judging and intake workflows rely on.)
const (
	StatusAdvanced   ApplicationStatus = "advanced"   // advanced past a round before the final, once that is announced
	StatusEliminated ApplicationStatus = "eliminated" // not advanced past a round, once that is announced
	StatusFinalist   ApplicationStatus = "finalist"   // entrant of the final round, once that is announced
	StatusWinner     ApplicationStatus = "winner"     // granted an award, once the final publication is live
)

// ApplicationStatuses lists the statuses the intake list can filter on.
var ApplicationStatuses = []ApplicationStatus{StatusDraft, StatusSubmitted, StatusIneligible, StatusWithdrawn}

// Application is one startup's entry to one edition. The row is the working copy the applicant edits; every
// submission also freezes a copy in ApplicationVersion, and the last version before the deadline is the one
// judged. Version counts every change, for optimistic concurrency (two tabs autosaving never silently
// overwrite each other); SubmittedVersion is the Version that was last submitted, so Version > SubmittedVersion
// means there are unsubmitted changes.
type Application struct {
	ID          int64
	EditionID   int64
	ApplicantID *int64 // nil once the applicant deleted their account
	Seq         *int64 // receipt number within the edition, from the first submission on
	Reference   *string
	Status      ApplicationStatus

	Startup
	NameKey string // lower-cased StartupName, for search and sorting alike on both databases
	Pitch

	Answers map[string]string `gorm:"serializer:json"` // question id → answer

	ConsentTerms bool
	ConsentStats bool // optional consent to use gender and age in anonymous statistics
	WomenLed     string
	// IneligibleReason is told to the applicant when an organizer marks the application ineligible.
	IneligibleReason string

	Version          int
	SubmittedVersion int
	CreatedAt        time.Time
	UpdatedAt        time.Time
	FirstSubmittedAt *time.Time
	SubmittedAt      *time.Time // the latest submission
	WithdrawnAt      *time.Time
	IneligibleAt     *time.Time
}

// Startup is what an application says about the company. The same fields stand in the working copy
// (Application), in every submitted version (services.Snapshot, a stored format: its JSON names never change),
// in what a judge reads and in what the API shows, so they are declared once and embedded in each.
type Startup struct {
	StartupName        string `json:"startup_name"`
	RegistrationNumber string `json:"registration_number"`
	FoundedOn          string `json:"founded_on"` // YYYY-MM-DD, or empty
	Website            string `json:"website"`
	Sector             string `json:"sector"`
	Province           string `json:"province"`
	District           string `json:"district"`
	Stage              string `json:"stage"`
	Employees          *int   `json:"employees"`
	RevenueBand        string `json:"revenue_band"`
	FundingRaised      *int64 `json:"funding_raised"` // RWF
}

// Pitch is the application's pitch section as the applicant edits it. A submitted version keeps it as a map
// (Snapshot.Pitch) so that the judging pages can walk it in form order.
type Pitch struct {
	OneLiner      string `json:"one_liner"`
	Problem       string `json:"problem"`
	Solution      string `json:"solution"`
	Market        string `json:"market"`
	BusinessModel string `json:"business_model"`
	Traction      string `json:"traction"`
	Competition   string `json:"competition"`
	Impact        string `json:"impact"`
	UseOfPrize    string `json:"use_of_prize"`
}

// Fields returns the pitch as field → text, keyed by the JSON names above.
func (p Pitch) Fields() map[string]string {
	return map[string]string{"one_liner": p.OneLiner, "problem": p.Problem, "solution": p.Solution, "market": p.Market,
		"business_model": p.BusinessModel, "traction": p.Traction, "competition": p.Competition, "impact": p.Impact,
		"use_of_prize": p.UseOfPrize}
}

// TableName pins the table name.
func (Application) TableName() string { return "applications" }

// Submitted reports whether at least one version was submitted.
func (a *Application) Submitted() bool { return a.SubmittedVersion > 0 }

// Owner reports whether user id owns the application.
func (a *Application) Owner(userID int64) bool {
	return a.ApplicantID != nil && *a.ApplicantID == userID
}

// RefString is the receipt reference, or "" for an application never submitted.
func (a *Application) RefString() string {
	if a.Reference == nil {
		return ""
	}
	return *a.Reference
}

// TeamMember is one person on an application's team.
type TeamMember struct {
	ID               int64
	ApplicationID    int64
	Position         int
	Name             string
	Role             string
	Founder          bool
	CEO              bool   `gorm:"column:ceo"`
	Gender           string // woman, man, another, prefer_not_to_say, or empty in a draft
	AgeBand          string // one of reference.AgeBands, or empty in a draft
	OwnershipPercent float64
	// Email is optional, stored normalized (NormalizeEmail). A judge whose account has this address is in
	// conflict with the application (see Store.HasConflict).
	Email     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName pins the table name.
func (TeamMember) TableName() string { return "team_members" }

// ApplicationVersion is a frozen copy of an application as submitted. Snapshot is JSON written by the services;
// the store keeps it opaque so an old version always reads as it was sent.
type ApplicationVersion struct {
	ID            int64
	ApplicationID int64
	Number        int
	Snapshot      string
	SubmittedAt   time.Time
	SubmittedBy   *int64
}

// TableName pins the table name.
func (ApplicationVersion) TableName() string { return "application_versions" }

// applicationColumns are the columns SaveApplication writes: everything but the identity and creation time.
var applicationColumns = []string{"seq", "reference", "status", "startup_name", "name_key", "registration_number",
	"founded_on", "website", "sector", "province", "district", "stage", "employees", "revenue_band", "funding_raised",
	"one_liner", "problem", "solution", "market", "business_model", "traction", "competition", "impact",
	"use_of_prize", "answers", "consent_terms", "consent_stats", "women_led", "ineligible_reason", "version",
	"submitted_version", "updated_at", "first_submitted_at", "submitted_at", "withdrawn_at", "ineligible_at"}

func dbTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := DBTime(*t)
	return &v
}

func (a *Application) normalize() {
	a.CreatedAt, a.UpdatedAt = DBTime(a.CreatedAt), DBTime(a.UpdatedAt)
	a.FirstSubmittedAt, a.SubmittedAt = dbTimePtr(a.FirstSubmittedAt), dbTimePtr(a.SubmittedAt)
	a.WithdrawnAt, a.IneligibleAt = dbTimePtr(a.WithdrawnAt), dbTimePtr(a.IneligibleAt)
	a.NameKey = strings.ToLower(strings.TrimSpace(a.StartupName))
	if a.Answers == nil {
		a.Answers = map[string]string{}
	}
	if a.WomenLed == "" {
		a.WomenLed = "undisclosed"
	}
}

// CreateApplication inserts a new application (Version 1). ErrConflict when the applicant already has one in
// the edition: one application per person per edition is a table constraint, not a check that can race.
func (s *Store) CreateApplication(ctx context.Context, a *Application) error {
	a.normalize()
	if a.Version == 0 {
		a.Version = 1
	}
	return translate(s.conn(ctx).Create(a).Error)
}

// ApplicationByID loads an application, or ErrNotFound.
func (s *Store) ApplicationByID(ctx context.Context, id int64) (*Application, error) {
	return take[Application](s.conn(ctx).Where("id = ?", id))
}

// LockApplication loads an application and, on PostgreSQL, locks its row until the transaction ends, so two
// submissions of one application run one after the other (SQLite has one writer anyway). Call it inside
// Store.Tx. ErrNotFound.
func (s *Store) LockApplication(ctx context.Context, id int64) (*Application, error) {
	return take[Application](s.conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id))
}

// ApplicationOf returns the user's application to an edition, or ErrNotFound.
func (s *Store) ApplicationOf(ctx context.Context, editionID, userID int64) (*Application, error) {
	return take[Application](s.conn(ctx).Where("edition_id = ? AND applicant_id = ?", editionID, userID))
}

// ApplicationsOfUser lists the user's applications, newest first, for "My applications".
func (s *Store) ApplicationsOfUser(ctx context.Context, userID int64) ([]Application, error) {
	var out []Application
	return out, translate(s.conn(ctx).Where("applicant_id = ?", userID).Order("id DESC").Find(&out).Error)
}

// SaveApplication writes a's fields if the stored row still has a.Version, and then increments a.Version. A
// row changed since a was read gives ErrConflict (the caller reloads and tries again or tells the user);
// a missing row gives ErrNotFound.
func (s *Store) SaveApplication(ctx context.Context, a *Application) error {
	a.normalize()
	expected := a.Version
	a.Version = expected + 1
	res := s.conn(ctx).Model(&Application{}).Where("id = ? AND version = ?", a.ID, expected).
		Select(applicationColumns).Updates(a)
	if res.Error != nil {
		a.Version = expected
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		a.Version = expected
		if _, err := s.ApplicationByID(ctx, a.ID); err != nil {
			return err
		}
		return fmt.Errorf("%w: application %d changed after version %d", ErrConflict, a.ID, expected)
	}
	return nil
}

// SetWomenLed updates the cached women-led classification without counting as an edit (it is derived data,
// recomputed when an organizer changes the edition's rule).
func (s *Store) SetWomenLed(ctx context.Context, id int64, value string) error {
	return translate(s.conn(ctx).Model(&Application{}).Where("id = ?", id).UpdateColumn("women_led", value).Error)
}

// ApplicationIDsOfEdition lists every application id of an edition, for recomputations.
func (s *Store) ApplicationIDsOfEdition(ctx context.Context, editionID int64) ([]int64, error) {
	var ids []int64
	return ids, translate(s.conn(ctx).Model(&Application{}).Where("edition_id = ?", editionID).Order("id").Pluck("id", &ids).Error)
}

// Team lists an application's team members in form order.
func (s *Store) Team(ctx context.Context, applicationID int64) ([]TeamMember, error) {
	var out []TeamMember
	return out, translate(s.conn(ctx).Where("application_id = ?", applicationID).Order("position, id").Find(&out).Error)
}

// Teams loads the teams of several applications at once (for lists and exports), keyed by application id.
func (s *Store) Teams(ctx context.Context, applicationIDs []int64) (map[int64][]TeamMember, error) {
	out := map[int64][]TeamMember{}
	if len(applicationIDs) == 0 {
		return out, nil
	}
	all, err := findIn[TeamMember](applicationIDs, "application_id", func() *gorm.DB {
		return s.conn(ctx).Order("application_id, position, id")
	})
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		out[m.ApplicationID] = append(out[m.ApplicationID], m)
	}
	return out, nil
}

// TeamMemberByID loads one team member, or ErrNotFound.
func (s *Store) TeamMemberByID(ctx context.Context, id int64) (*TeamMember, error) {
	return take[TeamMember](s.conn(ctx).Where("id = ?", id))
}

// CreateTeamMember inserts m after the application's last member.
func (s *Store) CreateTeamMember(ctx context.Context, m *TeamMember) error {
	m.CreatedAt, m.UpdatedAt = DBTime(m.CreatedAt), DBTime(m.UpdatedAt)
	var err error
	if m.Position, err = nextPosition(s.conn(ctx).Model(&TeamMember{}).Where("application_id = ?", m.ApplicationID)); err != nil {
		return err
	}
	return translate(s.conn(ctx).Create(m).Error)
}

// UpdateTeamMember saves a member's fields. ErrNotFound.
func (s *Store) UpdateTeamMember(ctx context.Context, m *TeamMember) error {
	m.UpdatedAt = DBTime(m.UpdatedAt)
	res := s.conn(ctx).Model(&TeamMember{}).Where("id = ? AND application_id = ?", m.ID, m.ApplicationID).
		Select("name", "role", "founder", "ceo", "gender", "age_band", "ownership_percent", "email", "updated_at").Updates(m)
	return rowsOrNotFound(res)
}

// DeleteTeamMember removes a member. ErrNotFound.
func (s *Store) DeleteTeamMember(ctx context.Context, applicationID, id int64) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ? AND application_id = ?", id, applicationID).Delete(&TeamMember{}))
}

// ReplaceTeam makes members the application's whole team, in the given order (the form posts the whole team).
func (s *Store) ReplaceTeam(ctx context.Context, applicationID int64, members []TeamMember, at time.Time) error {
	if err := s.conn(ctx).Where("application_id = ?", applicationID).Delete(&TeamMember{}).Error; err != nil {
		return translate(err)
	}
	for i := range members {
		members[i].ID = 0
		members[i].ApplicationID = applicationID
		members[i].Position = i + 1
		members[i].CreatedAt, members[i].UpdatedAt = DBTime(at), DBTime(at)
	}
	if len(members) == 0 {
		return nil
	}
	return translate(s.conn(ctx).Create(&members).Error)
}

// CreateApplicationVersion stores a submitted copy. ErrConflict if that number exists: the unique key is the
// last guard against a double submission.
func (s *Store) CreateApplicationVersion(ctx context.Context, v *ApplicationVersion) error {
	v.SubmittedAt = DBTime(v.SubmittedAt)
	return translate(s.conn(ctx).Create(v).Error)
}

// ApplicationVersions lists the submitted copies of an application, oldest first.
func (s *Store) ApplicationVersions(ctx context.Context, applicationID int64) ([]ApplicationVersion, error) {
	var out []ApplicationVersion
	return out, translate(s.conn(ctx).Where("application_id = ?", applicationID).Order("number").Find(&out).Error)
}

// CountApplicationVersions says how many times an application was submitted.
func (s *Store) CountApplicationVersions(ctx context.Context, applicationID int64) (int64, error) {
	var n int64
	return n, translate(s.conn(ctx).Model(&ApplicationVersion{}).Where("application_id = ?", applicationID).Count(&n).Error)
}

// ApplicationFilter narrows the organizer's intake list. Zero fields do not filter.
type ApplicationFilter struct {
	EditionID int64
	Status    ApplicationStatus
	Sector    string
	District  string
	Stage     string
	WomenLed  string
	// SubmittedFrom and SubmittedTo bound the first submission time: [From, To).
	SubmittedFrom *time.Time
	SubmittedTo   *time.Time
	// Search matches part of the startup name (any case) or a whole receipt reference.
	Search string
}

// StatusOnly reports whether f narrows the edition's applications by status at most.
func (f ApplicationFilter) StatusOnly() bool {
	return f.Sector == "" && f.District == "" && f.Stage == "" && f.WomenLed == "" && f.SubmittedFrom == nil &&
		f.SubmittedTo == nil && strings.TrimSpace(f.Search) == ""
}

// ApplicationSort orders the intake list.
type ApplicationSort string

// The orders of the intake list. Newest and oldest go by first submission (by creation for drafts), so a
// resubmission does not reshuffle the list.
const (
	SortNewest ApplicationSort = "newest"
	SortOldest ApplicationSort = "oldest"
	SortName   ApplicationSort = "name"
)

// Valid reports whether o is a known order.
func (o ApplicationSort) Valid() bool { return o == SortNewest || o == SortOldest || o == SortName }

// sortTime is the time newest/oldest order by; it is never NULL, which keeps keyset paging simple on both
// databases (they order NULLs differently).
const sortTime = "COALESCE(first_submitted_at, created_at)"

// ApplicationPage asks for one page of the intake list: After is the opaque cursor of the previous page's
// last row ("" for the first page). Page numbers the pages from 1 for a person who jumps to "page 7 of 12":
// it is read only without a cursor, and costs an OFFSET over the order's index (250,000 entries at most, read
// from the nearer end when Total is given); programs walking every page use the cursor, which stays fast and
// stable while applications arrive.
type ApplicationPage struct {
	Sort  ApplicationSort
	After string
	Page  int // 1-based; 0 or 1 is the first page
	Limit int
	// Total is how many applications match the filter, when the caller has counted them (0: not known): a
	// numbered page past the middle is then read from the far end of the order, which skips fewer rows.
	Total int64
}

// orders are the ORDER BY clauses of each sort, forwards and backwards.
var orders = map[ApplicationSort][2]string{
	SortName:   {"name_key ASC, id ASC", "name_key DESC, id DESC"},
	SortOldest: {sortTime + " ASC, id ASC", sortTime + " DESC, id DESC"},
	SortNewest: {sortTime + " DESC, id DESC", sortTime + " ASC, id ASC"},
}

// cursor is what an opaque page cursor holds: the last row's sort key and id.
type cursor struct {
	Key string `json:"k"`
	ID  int64  `json:"i"`
}

func encodeCursor(a *Application, sort ApplicationSort) string {
	c := cursor{ID: a.ID}
	if sort == SortName {
		c.Key = a.NameKey
	} else {
		t := a.CreatedAt
		if a.FirstSubmittedAt != nil {
			t = *a.FirstSubmittedAt
		}
		c.Key = DBTime(t).Format(time.RFC3339)
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort ApplicationSort) (cursor, any, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID <= 0 {
		return c, nil, NewValidationError("after", "list.bad_cursor")
	}
	if sort == SortName {
		return c, c.Key, nil
	}
	t, err := time.Parse(time.RFC3339, c.Key)
	if err != nil {
		return c, nil, NewValidationError("after", "list.bad_cursor")
	}
	return c, DBTime(t), nil
}

// filtered applies f to a query on applications.
func (s *Store) filtered(ctx context.Context, f ApplicationFilter) *gorm.DB {
	q := s.conn(ctx).Model(&Application{}).Where("edition_id = ?", f.EditionID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Sector != "" {
		q = q.Where("sector = ?", f.Sector)
	}
	if f.District != "" {
		q = q.Where("district = ?", f.District)
	}
	if f.Stage != "" {
		q = q.Where("stage = ?", f.Stage)
	}
	if f.WomenLed != "" {
		q = q.Where("women_led = ?", f.WomenLed)
	}
	// A bound on the first submission bounds the time order too (an application submitted in the range has
	// that time as its order's key), and said so the order's index reads the range alone instead of every
	// application of the edition.
	if f.SubmittedFrom != nil {
		q = q.Where("first_submitted_at >= ? AND "+sortTime+" >= ?", DBTime(*f.SubmittedFrom), DBTime(*f.SubmittedFrom))
	}
	if f.SubmittedTo != nil {
		q = q.Where("first_submitted_at < ? AND "+sortTime+" < ?", DBTime(*f.SubmittedTo), DBTime(*f.SubmittedTo))
	}
	if term := searchTerm(f); term != "" {
		pattern, ref := searchArgs(term)
		if s.dialect == DialectPostgres && utf8.RuneCountInString(term) >= 3 {
			// The trigram index of application_search (migration 00021) finds the matches. A shorter term has no
			// trigram to look up and matches most names anyway: the order's index, which holds the name, is
			// read with it as a filter, as on SQLite.
			q = q.Where("id IN (SELECT application_id FROM application_search WHERE edition_id = ? AND "+searchMatch+")",
				f.EditionID, pattern, ref)
		} else {
			q = q.Where(searchMatch, pattern, ref)
		}
	}
	return q
}

// searchMatch is the search's condition: part of the name, or the whole reference.
const searchMatch = `(name_key LIKE ? ESCAPE '\' OR reference = ?)`

// searchTerm is f's search as the names are kept (name_key), "" for none.
func searchTerm(f ApplicationFilter) string { return strings.ToLower(strings.TrimSpace(f.Search)) }

// searchArgs are searchMatch's arguments for a term.
func searchArgs(term string) (pattern, ref string) {
	return "%" + likeEscaper.Replace(term) + "%", strings.ToUpper(term)
}

// searchOnly reports whether f narrows the edition's applications by the search alone.
func (f ApplicationFilter) searchOnly() bool {
	f.EditionID, f.Search = 0, ""
	return f == ApplicationFilter{}
}

// likeEscaper makes a search term match literally inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// afterCursor narrows q to the rows that follow the cursor after in the order sort (all of them for "").
func afterCursor(q *gorm.DB, sort ApplicationSort, after string) (*gorm.DB, error) {
	if after == "" {
		return q, nil
	}
	c, key, err := decodeCursor(after, sort)
	if err != nil {
		return nil, err
	}
	// Row values, which both databases read as a range of the order's index: the same condition spelt
	// "a > x OR (a = x AND id > y)" made PostgreSQL walk the index from its start on every page, so
	// exporting 250,000 applications took minutes instead of seconds.
	switch sort {
	case SortName:
		return q.Where("(name_key, id) > (?, ?)", key, c.ID), nil
	case SortOldest:
		return q.Where("("+sortTime+", id) > (?, ?)", key, c.ID), nil
	default:
		return q.Where("("+sortTime+", id) < (?, ?)", key, c.ID), nil
	}
}

// ListApplications returns one page of an edition's applications that match f, and the cursor of the next
// page ("" when this is the last). Keyset paging keeps page 20 as fast as page 1 and stable while new
// applications arrive. A malformed cursor is a *ValidationError.
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter, p ApplicationPage) ([]Application, string, error) {
	if !p.Sort.Valid() {
		p.Sort = SortNewest
	}
	if p.Limit <= 0 || p.Limit > 500 {
		p.Limit = 50
	}
	q := s.filtered(ctx, f)
	offset := 0
	if p.After == "" && p.Page > 1 {
		offset = (p.Page - 1) * p.Limit
	}
	q, err := afterCursor(q, p.Sort, p.After)
	if err != nil {
		return nil, "", err
	}
	// The page's ids first, then its rows: the ids come from the order's index alone (see migration 00019),
	// however many rows the filters pass over or the page number skips, and only the page's rows are read.
	var ids []int64
	more := false // a page follows this one
	if back := p.Total - int64(offset); offset > 0 && int64(offset) > p.Total/2 && back > 0 {
		// Past the middle: the same rows, counted from the end of the order.
		n := min(int64(p.Limit), back)
		if err := q.Order(orders[p.Sort][1]).Offset(int(back-n)).Limit(int(n)).Pluck("id", &ids).Error; err != nil {
			return nil, "", translate(err)
		}
		slices.Reverse(ids)
		more = back > int64(p.Limit)
	} else {
		if err := q.Order(orders[p.Sort][0]).Offset(offset).Limit(p.Limit+1).Pluck("id", &ids).Error; err != nil {
			return nil, "", translate(err)
		}
		if more = len(ids) > p.Limit; more {
			ids = ids[:p.Limit]
		}
	}
	out, err := s.applicationsInOrder(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if more && len(out) > 0 {
		next = encodeCursor(&out[len(out)-1], p.Sort)
	}
	return out, next, nil
}

// applicationsInOrder loads the applications with the given ids, in that order.
func (s *Store) applicationsInOrder(ctx context.Context, ids []int64) ([]Application, error) {
	out := make([]Application, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Application
	if err := s.conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	byID := make(map[int64]*Application, len(rows))
	for i := range rows {
		byID[rows[i].ID] = &rows[i]
	}
	for _, id := range ids {
		if a, ok := byID[id]; ok { // gone since the ids were read: left out, as a later read would
			out = append(out, *a)
		}
	}
	return out, nil
}

// CountApplications counts the applications that match f.
func (s *Store) CountApplications(ctx context.Context, f ApplicationFilter) (int64, error) {
	var n int64
	if term := searchTerm(f); term != "" && s.dialect == DialectPostgres && f.searchOnly() {
		// A search alone is counted on application_search, which holds what it reads: checking each trigram
		// match against the applications themselves read a table page per match.
		pattern, ref := searchArgs(term)
		match, part := searchMatch, pattern
		if utf8.RuneCountInString(term) < 3 {
			// No trigram to look up: every row is read, and said without LIKE so that a plan PostgreSQL keeps
			// for the statement never walks the whole trigram index instead.
			match, part = "(strpos(name_key, ?) > 0 OR reference = ?)", term
		}
		err := s.conn(ctx).Raw("SELECT COUNT(*) FROM application_search WHERE edition_id = ? AND "+match, f.EditionID, part, ref).
			Scan(&n).Error
		return n, translate(err)
	}
	if f.SubmittedFrom == nil && f.SubmittedTo == nil && searchTerm(f) == "" {
		return s.countFromLog(ctx, f)
	}
	return n, translate(s.filtered(ctx, f).Count(&n).Error)
}

// FirstSubmissionTimes lists when each of an edition's applications was first submitted, oldest first. The
// caller buckets them by day in the edition's time zone (in Go, because the two databases disagree on
// time-zone arithmetic).
func (s *Store) FirstSubmissionTimes(ctx context.Context, editionID int64) ([]time.Time, error) {
	var out []time.Time
	err := s.conn(ctx).Model(&Application{}).Where("edition_id = ? AND first_submitted_at IS NOT NULL", editionID).
		Order("first_submitted_at").Pluck("first_submitted_at", &out).Error
	return out, translate(err)
}

// UsersByIDs loads several users at once (without roles), for lists and exports that show applicants.
func (s *Store) UsersByIDs(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := map[int64]User{}
	if len(ids) == 0 {
		return out, nil
	}
	users, err := findIn[User](ids, "id", func() *gorm.DB { return s.conn(ctx).Omit("Roles") })
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}

// IdempotencyKey remembers the first answer to a request a client marked with an Idempotency-Key header, so a
// retry (a double click, a lost connection) replays that answer instead of acting twice. Keys are per user.
type IdempotencyKey struct {
	UserID      int64  `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	RequestHash string // what the first request was; the same key on a different request is refused
	Status      int
	Body        string
	CreatedAt   time.Time
}

// TableName pins the table name.
func (IdempotencyKey) TableName() string { return "idempotency_keys" }

// ClaimIdempotencyKey records k unless the user already used k.Key, and returns the stored row and whether this
// call created it. Call it first thing inside the transaction that does the work and CompleteIdempotencyKey
// last: on PostgreSQL a concurrent duplicate then waits on the key's unique index until the first transaction
// commits and reads its answer, and if that transaction rolls back the duplicate simply runs instead.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, k *IdempotencyKey) (*IdempotencyKey, bool, error) {
	k.CreatedAt = DBTime(k.CreatedAt)
	res := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(k)
	if res.Error != nil {
		return nil, false, translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return k, true, nil
	}
	var got IdempotencyKey
	if err := s.conn(ctx).Where("user_id = ? AND key = ?", k.UserID, k.Key).Take(&got).Error; err != nil {
		return nil, false, translate(err)
	}
	return &got, false, nil
}

// CompleteIdempotencyKey stores the answer to a claimed key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, userID int64, key string, status int, body string) error {
	return rowsOrNotFound(s.conn(ctx).Model(&IdempotencyKey{}).Where("user_id = ? AND key = ?", userID, key).
		Updates(map[string]any{"status": status, "body": body}))
}

// DeleteIdempotencyKeysBefore forgets keys older than t (a periodic job calls it; clients retry within
// minutes, not days).
func (s *Store) DeleteIdempotencyKeysBefore(ctx context.Context, t time.Time) (int64, error) {
	res := s.conn(ctx).Where("created_at < ?", DBTime(t)).Delete(&IdempotencyKey{})
	return res.RowsAffected, translate(res.Error)
}
