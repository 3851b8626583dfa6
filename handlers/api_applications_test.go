package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers"
	"github.com/pitchfest/pitchfest/handlers/api"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// intakeServer is a running server whose application services use a fake clock, with an organizer and two
// applicants signed in.
type intakeServer struct {
	srv       *testutil.Server
	clock     *fakeClock
	mail      *testutil.Mailbox
	organizer apiClient
	applicant apiClient
	other     apiClient
	anonymous apiClient
}

// apiClient calls the API as one signed-in user (or anonymously), like a browser on our own origin.
type apiClient struct {
	t       *testing.T
	srv     *testutil.Server
	session string
	user    *models.User
}

// do sends a JSON body, if any, and returns the response with its body read.
func (ac apiClient) do(method, path, body string, headers ...string) (*http.Response, []byte) {
	ac.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
		headers = append([]string{"Content-Type", "application/json"}, headers...)
	}
	res, b := sendAs(ac.t, ac.srv, ac.session, method, path, rd, append([]string{"Accept", "application/json"}, headers...)...)
	return res, []byte(b)
}

// json calls and decodes the answer, failing unless the status is want.
func (ac apiClient) json(method, path, body string, want int, out any, headers ...string) {
	ac.t.Helper()
	res, b := ac.do(method, path, body, headers...)
	if res.StatusCode != want {
		ac.t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			ac.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

func newIntakeServer(t *testing.T) *intakeServer {
	t.Helper()
	srv, clk, mb := startIntake(t)
	is := &intakeServer{srv: srv, clock: clk, mail: mb, anonymous: apiClient{t: t, srv: srv}}
	mk := func(name string, role models.Role) apiClient {
		u, session := newSignedInUser(t, srv, name, "en", role)
		return apiClient{t: t, srv: srv, session: session, user: u}
	}
	is.organizer, is.applicant, is.other = mk("Organizer", models.RoleOrganizer), mk("Aline", models.RoleApplicant), mk("Eric", models.RoleApplicant)
	return is
}

type editionOut struct {
	ID              int64  `json:"id"`
	Slug            string `json:"slug"`
	Window          string `json:"window"`
	DescriptionHTML string `json:"description_html"`
	ClosesAtLocal   string `json:"closes_at_local"`
	GraceMinutes    *int   `json:"grace_minutes"`
	Awards          []struct {
		Amount int64 `json:"amount"`
	} `json:"awards"`
}

// openEdition creates and publishes an edition open from 1 February to 31 March 2026, 23:59 in Kigali.
func (is *intakeServer) openEdition(extra string) editionOut {
	var e editionOut
	body := `{"name":"Hanga Pitchfest 2026","slug":"hpf-2026","year":2026,"description":"**Apply** <script>alert(1)</script>",
		"opens_at":"2026-02-01T08:00:00Z","closes_at":"2026-03-31T21:59:00Z","grace_minutes":10,"reference_prefix":"HPF",
		"awards":[{"position":1,"name":"Winner","amount":50000000,"currency":"RWF"}]` + extra + `}`
	is.organizer.json("POST", "/api/v1/editions", body, http.StatusCreated, &e)
	is.organizer.json("POST", fmt.Sprintf("/api/v1/editions/%d/publish", e.ID), "", http.StatusOK, nil)
	return e
}

// newDraft starts an application of the applicant in e, a draft named Ubuhinzi.
func (is *intakeServer) newDraft(e editionOut) appOut {
	var a appOut
	is.applicant.json("POST", fmt.Sprintf("/api/v1/editions/%d/applications", e.ID), `{"startup_name":"Ubuhinzi"}`, http.StatusCreated, &a)
	return a
}

// completeDraft starts a draft of the applicant in e with every field filled (completeBody): the draft's path.
func (is *intakeServer) completeDraft(e editionOut) string {
	path := fmt.Sprintf("/api/v1/applications/%d", is.newDraft(e).ID)
	is.applicant.json("PATCH", path, completeBody, http.StatusOK, nil)
	return path
}

type appOut struct {
	ID                 int64   `json:"id"`
	Reference          *string `json:"reference"`
	Status             string  `json:"status"`
	Traction           string  `json:"traction"`
	Editable           bool    `json:"editable"`
	UnsubmittedChanges bool    `json:"unsubmitted_changes"`
	Version            int     `json:"version"`
	Team               []struct {
		ID int64 `json:"id"`
	} `json:"team"`
	Versions []struct {
		Number int `json:"number"`
	} `json:"versions"`
}

type problemOut struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields"`
}

const completeBody = `{"startup_name":"Ubuhinzi Bwiza","founded_on":"2024-05-01","sector":"agriculture","province":"southern",
	"district":"huye","stage":"prototype","employees":4,"revenue_band":"under_5m","funding_raised":0,
	"one_liner":"Soil sensors for smallholders.","problem":"Droughts.","solution":"Sensors.","market":"Smallholders.",
	"business_model":"Subscriptions.","traction":"Three cooperatives.","competition":"Imports.","impact":"Jobs.",
	"use_of_prize":"Manufacturing.","consent_terms":true,"consent_stats":true,
	"team":[{"name":"Uwase Clémentine","role":"CEO","founder":true,"ceo":true,"gender":"woman","age_band":"25_29","ownership_percent":100}]}`

func TestApplyingThroughTheAPIUntilTheServerClockSaysStop(t *testing.T) {
	is := newIntakeServer(t)
	e := is.openEdition(`,"eligibility":{"youth_founder":true}`)

	var public editionOut
	is.anonymous.json("GET", "/api/v1/editions/hpf-2026", "", http.StatusOK, &public)
	if public.Window != "open" || public.GraceMinutes != nil || public.ClosesAtLocal != "31 March 2026, 23:59 (Kigali time)" ||
		!strings.Contains(public.DescriptionHTML, "<strong>Apply</strong>") || strings.Contains(public.DescriptionHTML, "<script") {
		t.Fatalf("public edition %+v", public)
	}

	a := is.newDraft(e)
	if a.Status != "draft" || a.Reference != nil || !a.Editable {
		t.Fatalf("new draft %+v", a)
	}
	path := fmt.Sprintf("/api/v1/applications/%d", a.ID)

	t.Run("bad input is a 422 naming each field, in the user's language", func(t *testing.T) {
		var p problemOut
		body := `{"sector":"mining","district":"nairobi","one_liner":"` + strings.Repeat("ñ", 141) + `","team":[{"name":"A","gender":"robot"}]}`
		is.applicant.json("PATCH", path, body, http.StatusUnprocessableEntity, &p, "Accept-Language", "fr")
		for _, f := range []string{"sector", "district", "one_liner", "team.0.gender"} {
			if p.Fields[f] == "" {
				t.Errorf("no message for %s: %v", f, p.Fields)
			}
		}
		if !strings.Contains(p.Fields["one_liner"], "140") || !strings.Contains(p.Error, "champs") {
			t.Errorf("French messages with the limit: %q / %q", p.Error, p.Fields["one_liner"])
		}
		is.applicant.json("PATCH", path, `{"employees":"many"}`, http.StatusBadRequest, nil)
	})

	t.Run("without the deck the edition requires, the submission says so", func(t *testing.T) {
		is.applicant.json("PATCH", path, completeBody, http.StatusOK, nil)
		var p problemOut
		is.applicant.json("POST", path+"/submit", "", http.StatusUnprocessableEntity, &p)
		if p.Fields["deck"] == "" || len(p.Fields) != 1 {
			t.Fatalf("fields %v", p.Fields)
		}
		res, b := is.applicant.do("PUT", path+"/deck", string(decktest.PDF(t, 2, 0)), "Content-Type", "application/pdf", "X-File-Name", "deck.pdf")
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("upload the deck: %d %s", res.StatusCode, b)
		}
	})

	t.Run("an ineligible submission says which rule fails", func(t *testing.T) {
		old := strings.Replace(completeBody, `"25_29"`, `"46_60"`, 1)
		is.applicant.json("PATCH", path, old, http.StatusOK, nil)
		var p problemOut
		is.applicant.json("POST", path+"/submit", "", http.StatusUnprocessableEntity, &p)
		if !strings.Contains(p.Fields["eligibility.youth_founder"], "18") || len(p.Fields) != 1 {
			t.Fatalf("fields %v", p.Fields)
		}
	})

	is.applicant.json("PATCH", path, completeBody, http.StatusOK, nil)
	key := []string{"Idempotency-Key", "0b6a1c9e-first-click"}
	res, first := is.applicant.do("POST", path+"/submit", "", key...)
	if res.StatusCode != 200 || !strings.Contains(string(first), `"reference":"HPF-2026-000001"`) || res.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("submit: %d %s", res.StatusCode, first)
	}
	t.Run("a retry with the same key replays the first answer", func(t *testing.T) {
		is.clock.set(is.clock.now().Add(time.Minute)) // a replay does not even look at the clock's new time
		res, again := is.applicant.do("POST", path+"/submit", "", key...)
		if res.StatusCode != 200 || !bytes.Equal(again, first) || res.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %s", res.StatusCode, again)
		}
		var p problemOut
		is.applicant.json("POST", path+"/submit", `{"note":"different"}`, http.StatusUnprocessableEntity, &p, key...)
		if p.Fields["idempotency_key"] == "" {
			t.Fatalf("reused key: %v", p.Fields)
		}
		is.applicant.json("POST", path+"/submit", "", http.StatusUnprocessableEntity, &p, "Idempotency-Key", "has spaces in it")
	})

	t.Run("edits after submission are pending until resubmitted", func(t *testing.T) {
		var got appOut
		is.applicant.json("PATCH", path, `{"traction":"Five cooperatives."}`, http.StatusOK, &got)
		if got.Status != "submitted" || !got.UnsubmittedChanges {
			t.Fatalf("%+v", got)
		}
		var r struct {
			Version    int  `json:"version"`
			NewVersion bool `json:"new_version"`
		}
		is.applicant.json("POST", path+"/submit", "", http.StatusOK, &r)
		if r.Version != 2 || !r.NewVersion {
			t.Fatalf("resubmission %+v", r)
		}
		is.applicant.json("POST", path+"/submit", "", http.StatusOK, &r)
		if r.Version != 2 || r.NewVersion {
			t.Fatalf("an unchanged resubmission made a version: %+v", r)
		}
	})

	is.clock.set(time.Date(2026, 3, 31, 22, 9, 0, 0, time.UTC)) // 23:59 + 10 grace minutes, Kigali
	t.Run("after the deadline edits and submissions are refused with a clear message, and the draft is kept", func(t *testing.T) {
		var p problemOut
		is.applicant.json("PATCH", path, `{"traction":"Too late."}`, http.StatusConflict, &p)
		if !strings.Contains(p.Error, "31 March 2026, 23:59 (Kigali time)") {
			t.Errorf("message %q", p.Error)
		}
		is.applicant.json("POST", path+"/submit", "", http.StatusConflict, nil)
		is.applicant.json("POST", path+"/team", `{"name":"Late"}`, http.StatusConflict, nil)
		is.other.json("POST", fmt.Sprintf("/api/v1/editions/%d/applications", e.ID), "", http.StatusConflict, nil)
		var got appOut
		is.applicant.json("GET", path, "", http.StatusOK, &got)
		if got.Traction != "Five cooperatives." || got.Editable || len(got.Versions) != 2 {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("others never see it", func(t *testing.T) {
		is.other.json("GET", path, "", http.StatusNotFound, nil)
		is.other.json("GET", path+"/versions", "", http.StatusNotFound, nil)
		is.anonymous.json("GET", path, "", http.StatusUnauthorized, nil)
		is.organizer.json("GET", path+"/versions", "", http.StatusOK, nil)
	})
}

func TestFiftyRetriesOverHTTPMakeOneSubmission(t *testing.T) {
	is := newIntakeServer(t)
	e := is.openEdition(`,"require_deck":false`) // retries are the point, not the deck
	var a appOut
	is.applicant.json("POST", fmt.Sprintf("/api/v1/editions/%d/applications", e.ID), completeBody, http.StatusCreated, &a)
	path := fmt.Sprintf("/api/v1/applications/%d/submit", a.ID)

	const n = 50
	bodies := make([][]byte, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, b := is.applicant.do("POST", path, "", "Idempotency-Key", "same-key-for-all")
			statuses[i], bodies[i] = res.StatusCode, b
		})
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != 200 || !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("answer %d: %d %s (first: %s)", i, statuses[i], bodies[i], bodies[0])
		}
	}
	if nv, err := is.srv.App.Store.CountApplicationVersions(context.Background(), a.ID); err != nil || nv != 1 {
		t.Fatalf("%d versions (%v), want 1", nv, err)
	}
	if n := len(is.mail.All(services.MailApplicationSubmitted)); n != 1 {
		t.Fatalf("%d receipts queued, want 1", n)
	}
}

func TestTheIntakeListPagesAndTheExportStreams(t *testing.T) {
	is := newIntakeServer(t)
	e := is.openEdition(`,"require_deck":false`) // the list is the point, not the deck
	bg := context.Background()
	app := is.srv.App
	long := strings.Repeat("Abahinzi bo mu Majyepfo bakeneye amakuru ku butaka. ", 15)
	const n = 30
	for i := range n {
		u := &models.User{Email: fmt.Sprintf("applicant%d-%s@example.rw", i, testutil.RandomHex(3)), Name: fmt.Sprintf("Applicant %d", i), Lang: "rw"}
		now := time.Now()
		u.EmailVerifiedAt = &now
		if err := app.Store.CreateUser(bg, u, models.RoleApplicant); err != nil {
			t.Fatal(err)
		}
		in := completeDraft()
		name := fmt.Sprintf("Startup %02d — Ikoranabuhanga", i)
		in.StartupName, in.Problem = &name, &long
		d, err := app.Applications.Create(bg, u, e.ID, &in, services.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if i%3 != 0 {
			if _, err := app.Applications.Submit(bg, u, d.Application.ID, services.SubmitOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	base := fmt.Sprintf("/api/v1/editions/%d/applications", e.ID)

	t.Run("the list pages with a cursor and counts", func(t *testing.T) {
		var names []string
		after := ""
		for range 20 {
			var page struct {
				Applications []struct {
					StartupName string `json:"startup_name"`
				} `json:"applications"`
				Total  int              `json:"total"`
				Counts map[string]int64 `json:"counts"`
				Next   string           `json:"next"`
			}
			is.organizer.json("GET", base+"?status=submitted&sort=name&limit=7&after="+after, "", http.StatusOK, &page)
			if page.Total != 20 || page.Counts["submitted"] != 20 || page.Counts["draft"] != 10 || page.Counts["withdrawn"] != 0 {
				t.Fatalf("total %d counts %v", page.Total, page.Counts)
			}
			for _, a := range page.Applications {
				names = append(names, a.StartupName)
			}
			if after = page.Next; after == "" {
				break
			}
		}
		seen := map[string]bool{}
		for _, n := range names {
			seen[n] = true
		}
		if len(names) != 20 || len(seen) != 20 || !slices.IsSorted(names) {
			t.Fatalf("%d names: %v", len(names), names)
		}
		var p problemOut
		is.organizer.json("GET", base+"?status=lost&submitted_from=yesterday", "", http.StatusUnprocessableEntity, &p)
		if p.Fields["status"] == "" || p.Fields["submitted_from"] == "" {
			t.Fatalf("fields %v", p.Fields)
		}
		is.applicant.json("GET", base, "", http.StatusForbidden, nil)
	})

	t.Run("the export is CSV with a BOM, streamed in chunks, filtered like the list", func(t *testing.T) {
		res, body := is.organizer.do("GET", base+"/export?status=submitted", "")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="applications-hpf-2026-`) {
			t.Fatalf("%d %v", res.StatusCode, res.Header)
		}
		if res.ContentLength != -1 || !slices.Contains(res.TransferEncoding, "chunked") {
			t.Fatalf("not streamed: length %d, transfer encoding %v", res.ContentLength, res.TransferEncoding)
		}
		if !bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}) {
			t.Fatal("no UTF-8 byte-order mark")
		}
		rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 21 || rows[0][0] != "reference" || !strings.HasSuffix(rows[1][2], "— Ikoranabuhanga") {
			t.Fatalf("%d rows; first %q", len(rows), rows[1])
		}
		if !regexp.MustCompile(`^HPF-2026-\d{6}$`).MatchString(rows[1][0]) {
			t.Fatalf("reference %q", rows[1][0])
		}
	})
	t.Run("a bad filter is an error before any byte of CSV", func(t *testing.T) {
		res, b := is.organizer.do("GET", base+"/export?women_led=perhaps", "")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), "women_led") {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
	})
	t.Run("the dashboard counts submissions per day", func(t *testing.T) {
		var st struct {
			Total    int64            `json:"total"`
			ByStatus map[string]int64 `json:"by_status"`
			PerDay   []struct {
				Day   string `json:"day"`
				Count int    `json:"count"`
			} `json:"submissions_per_day"`
		}
		is.organizer.json("GET", fmt.Sprintf("/api/v1/editions/%d/stats", e.ID), "", http.StatusOK, &st)
		if st.Total != 30 || st.ByStatus["submitted"] != 20 || len(st.PerDay) == 0 {
			t.Fatalf("%+v", st)
		}
	})
}

func TestOpenAPIDescribesEveryAPIRoute(t *testing.T) {
	srv := testutil.StartServer(t)
	res, body := get(t, srv.URL+"/api/openapi.json")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	var spec struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal([]byte(body), &spec); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi %q", spec.OpenAPI)
	}
	param := regexp.MustCompile(`[:*]([A-Za-z_]+)`)
	registered := map[string]bool{}
	for _, rt := range srv.App.Handler.(*handlers.Handler).Routes() {
		if !strings.HasPrefix(rt.Path, "/api/") {
			continue
		}
		p := param.ReplaceAllString(rt.Path, "{$1}")
		m := strings.ToLower(rt.Method)
		registered[m+" "+p] = true
		if _, ok := spec.Paths[p][m]; !ok {
			t.Errorf("%s %s is not in /api/openapi.json (handlers/api/openapi)", rt.Method, p)
		}
	}
	opIDs := map[string]bool{}
	for p, ops := range spec.Paths {
		for m, raw := range ops {
			if !registered[m+" "+p] {
				t.Errorf("openapi.json describes %s %s, which the router does not have", strings.ToUpper(m), p)
			}
			var op struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			json.Unmarshal(raw, &op)
			if op.OperationID == "" || opIDs[op.OperationID] || len(op.Responses) == 0 {
				t.Errorf("%s %s: operationId %q (unique, required) and responses are needed", m, p, op.OperationID)
			}
			opIDs[op.OperationID] = true
		}
	}
	for _, m := range regexp.MustCompile(`"\$ref": "#/components/([a-zA-Z]+)/([A-Za-z]+)"`).FindAllStringSubmatch(body, -1) {
		if _, ok := spec.Components[m[1]][m[2]]; !ok {
			t.Errorf("dangling $ref %s/%s", m[1], m[2])
		}
	}
	if doc, err := api.OpenAPISpec(); err != nil || !bytes.Equal([]byte(body), doc) {
		t.Errorf("the served description differs from the merged pieces (%v)", err)
	}
}

// TestApplicationMessagesAreTranslated finds the message ids the application workflows use (in their source,
// so a new one cannot be forgotten) and the labels of the reference lists, and requires each in every catalog.
func TestApplicationMessagesAreTranslated(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	literal := regexp.MustCompile(`(Action: )?"((?:field|edition|question|application|eligibility|idempotency|list|error)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)"`)
	for _, src := range sourcesOf(t, "../services/applications*.go", "../services/editions.go", "../services/eligibility.go",
		"../services/intake.go", "../models/applications.go", "api/applications.go", "api/editions.go") {
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			// eligibility.min_stage names a field; its messages are eligibility.min_stage.<stage>, added below.
			if m[1] == "" && m[2] != "eligibility.min_stage" {
				ids[m[2]] = true
			}
		}
	}
	for _, st := range reference.Stages {
		ids["eligibility.min_stage."+string(st)] = true
		ids[st.MessageID()] = true
	}
	for _, p := range reference.Provinces {
		ids[p.MessageID()] = true
	}
	for prefix, codes := range map[string][]string{"revenue_band": reference.RevenueBands, "age_band": reference.AgeBands, "gender": reference.Genders} {
		for _, c := range codes {
			ids[prefix+"."+c] = true
		}
	}
	for _, s := range reference.DefaultSectors {
		ids["sector."+s.Code] = true
	}
	if len(ids) < 80 {
		t.Fatalf("found only %d ids; is the pattern still right?", len(ids))
	}
	for _, l := range frontend.Languages {
		have := map[string]bool{}
		for _, id := range tr.MessageIDs(l.Code) {
			have[id] = true
		}
		for id := range ids {
			if !have[id] {
				t.Errorf("%s: no translation of %s", l.Code, id)
			}
		}
	}
}
