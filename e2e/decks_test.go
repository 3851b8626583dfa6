package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// An applicant on a phone opens the deck page of their application (signing in on the way), uploads a PDF
// through the form (deck.js sends it with a progress bar), sees it as the current deck, uploads a second one
// and sees the first in the history, then picks a slide file renamed .pdf and reads why it was refused.
// Every page is checked with axe-core and for sideways scrolling, at 360 and 1280 px.
func TestAnApplicantUploadsADeckOnAPhone(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	srv := testutil.StartServer(t)
	email, password := "deck-owner-"+testutil.RandomHex(4)+"@example.rw", "a deck owner's passphrase"
	appID := newApplicant(t, srv, email, password)
	page := fmt.Sprintf("%s/applications/%d/deck", srv.URL, appID)

	Visit(t, ctx, page)
	atPhone(t, ctx)
	expectPath(t, ctx, "/signin")
	fill(t, ctx, "#signin-email", email)
	fill(t, ctx, "#signin-password", password)
	Follow(t, ctx, chromedp.CSS(`#signin-form button[type="submit"]`))
	atPhone(t, ctx)
	expectPath(t, ctx, fmt.Sprintf("/applications/%d/deck", appID))
	expectHeading(t, ctx, T("deck.title"))
	if got := Text(t, ctx, "#deck-current"); got != T("deck.none") {
		t.Errorf("before any upload the page says %q", got)
	}

	dir := t.TempDir()
	first, _ := decktest.PDFFile(t, 3, 0)
	second := filepath.Join(dir, "Our pitch, final.pdf")
	if err := os.WriteFile(second, decktest.PDF(t, 2, 200<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	notPDF := filepath.Join(dir, "slides.pdf")
	if err := os.WriteFile(notPDF, []byte("PK\x03\x04 this is a PowerPoint file, renamed"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The progress bar is shown while the file goes up; sessionStorage outlives the reload that follows.
	watchProgress := func() {
		Eval[bool](t, ctx, `(function () {
			sessionStorage.removeItem("sawProgress");
			window.cspViolations = [];
			document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(e.violatedDirective));
			new MutationObserver(() => {
				const box = document.getElementById("deck-progress-box");
				if (!box.hidden) sessionStorage.setItem("sawProgress", "yes");
			}).observe(document.getElementById("deck-progress-box"), {attributes: true});
			return true;
		})()`)
	}
	upload := func(file string) {
		t.Helper()
		watchProgress()
		run(t, ctx, "choose "+filepath.Base(file), chromedp.SetUploadFiles(chromedp.CSS("#deck-file"), []string{file}))
		Follow(t, ctx, chromedp.CSS(`#deck-form button[type="submit"]`))
		atPhone(t, ctx)
		expectPath(t, ctx, fmt.Sprintf("/applications/%d/deck", appID))
		expectFlash(t, ctx, T("flash.deck_uploaded"))
		if got := Eval[string](t, ctx, `sessionStorage.getItem("sawProgress") || ""`); got != "yes" {
			t.Error("the progress bar never showed: the form was not sent by deck.js")
		}
	}

	upload(first)
	if got := Text(t, ctx, "#deck-current dd"); got != "1" {
		t.Errorf("current version %q, want 1", got)
	}
	if n := Eval[int](t, ctx, `document.querySelectorAll("#deck-history li").length`); n != 0 {
		t.Errorf("%d earlier versions after the first upload", n)
	}

	upload(second)
	if got := Text(t, ctx, "#deck-current dd"); got != "2" {
		t.Errorf("current version %q, want 2", got)
	}
	if got := Text(t, ctx, "#deck-current .breakable"); got != "Our pitch, final.pdf" {
		t.Errorf("current deck named %q", got)
	}
	if n := Eval[int](t, ctx, `document.querySelectorAll("#deck-history li").length`); n != 1 {
		t.Errorf("%d earlier versions after the second upload, want 1", n)
	}

	// Not a PDF: the API's refusal is shown above the field, in place, and nothing is stored.
	watchProgress()
	run(t, ctx, "choose a slide file", chromedp.SetUploadFiles(chromedp.CSS("#deck-file"), []string{notPDF}))
	run(t, ctx, "send it", chromedp.Click(chromedp.CSS(`#deck-form button[type="submit"]`)))
	run(t, ctx, "wait for the refusal", chromedp.WaitVisible(chromedp.CSS("#deck-error")))
	if got, want := Text(t, ctx, "#deck-error"), T(deckcheck.MsgNotPDF); got != want {
		t.Errorf("refusal %q, want %q", got, want)
	}
	if got := Eval[string](t, ctx, "document.activeElement.id"); got != "deck-file" {
		t.Errorf("focus is on #%s, want the file field", got)
	}
	if v := Eval[[]string](t, ctx, "window.cspViolations"); len(v) > 0 {
		t.Errorf("the Content-Security-Policy refused: %v", v)
	}
	CheckPage(t, ctx)
	if vs, err := srv.App.Store.DeckVersions(context.Background(), appID); err != nil || len(vs) != 2 {
		t.Errorf("%d versions stored (%v), want the 2 PDFs", len(vs), err)
	}

	// The download button gives the current deck back.
	href := Eval[string](t, ctx, `document.querySelector("#deck-current + p a").getAttribute("href")`)
	if want := fmt.Sprintf("/api/v1/applications/%d/deck/download?version=2", appID); href != want {
		t.Errorf("download link %q, want %q", href, want)
	}
	// Downloading it as the owner: the link leads to a short-lived signed address that sends the same PDF as an
	// attachment, never inline (fetched from the page so the owner's cookie goes along).
	type download struct {
		Status      int    `json:"status"`
		Disposition string `json:"disposition"`
		NoSniff     string `json:"nosniff"`
		Head        string `json:"head"`
		Size        int    `json:"size"`
	}
	got := run(t, ctx, "download the deck", chromedp.Evaluate[download](`(async () => {
		const r = await fetch(`+fmt.Sprintf("%q", href)+`, {credentials: "same-origin"});
		const b = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, disposition: r.headers.get("Content-Disposition") || "",
			nosniff: r.headers.get("X-Content-Type-Options") || "",
			head: String.fromCharCode(...b.slice(0, 5)), size: b.length};
	})()`, chromedp.EvalAwaitPromise))
	want, _ := os.Stat(second)
	if got.Status != 200 || got.Head != "%PDF-" || int64(got.Size) != want.Size() {
		t.Errorf("download: status %d, starts %q, %d bytes (want 200, %%PDF-, %d)", got.Status, got.Head, got.Size, want.Size())
	}
	if !strings.HasPrefix(got.Disposition, "attachment") || got.NoSniff != "nosniff" {
		t.Errorf("download headers: Content-Disposition %q, X-Content-Type-Options %q", got.Disposition, got.NoSniff)
	}
}

// newApplicant creates a verified applicant with a password and a draft application in an edition open for
// another week, and returns the application's id.
func newApplicant(t *testing.T, srv *testutil.Server, email, password string) int64 {
	t.Helper()
	ctx := context.Background()
	st := srv.App.Store
	hash, err := services.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	u := &models.User{Email: email, Name: "Aline Uwase", PasswordHash: hash, Lang: "en", EmailVerifiedAt: &now}
	if err := st.CreateUser(ctx, u, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}
	ed := &models.Edition{Name: "Pitchfest " + testutil.RandomHex(3), Slug: "e2e-decks-" + testutil.RandomHex(5), Year: now.Year(),
		TimeZone: "Africa/Kigali", OpensAt: now.Add(-24 * time.Hour), ClosesAt: now.Add(7 * 24 * time.Hour), WomenLedRule: "woman_ceo",
		Sectors: []models.Sector{}, ReferencePrefix: "PF", MaxDeckMB: 2, MaxDeckPages: 10, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateEdition(ctx, ed); err != nil {
		t.Fatal(err)
	}
	a := &models.Application{EditionID: ed.ID, ApplicantID: &u.ID, Status: models.StatusDraft, CreatedAt: now, UpdatedAt: now, Startup: models.Startup{StartupName: "Ikawa Nziza"}}
	if err := st.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}
