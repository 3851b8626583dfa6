package handlers_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
)

func TestTheDeckPageShowsTheDeckItsHistoryAndTheFormToItsOwnerOnly(t *testing.T) {
	ds := newDeckServer(t)
	path := fmt.Sprintf("/applications/%d/deck", ds.app.ID)
	get := func(dc *deckClient) (int, string) {
		t.Helper()
		res, b := dc.request("GET", path, nil, "Accept", "text/html")
		return res.StatusCode, string(b)
	}

	status, page := get(ds.owner)
	if status != http.StatusOK || !strings.Contains(page, `id="deck-form"`) || !strings.Contains(page, "No deck has been uploaded yet.") {
		t.Fatalf("owner before any upload: %d\n%s", status, page)
	}
	for _, want := range []string{`enctype="multipart/form-data"`, `name="return" value="` + path + `"`, `data-api="/api/v1` + path + `"`,
		`type="file"`, "<progress", "/static/deck.", "at most 1 MB and 5 pages"} {
		if !strings.Contains(page, want) {
			t.Errorf("the owner's page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("the page has an inline script, which the CSP refuses")
	}

	for i, name := range []string{"first.pdf", "second deck.pdf"} {
		if res, b := ds.owner.put(ds.app.ID, decktest.PDF(t, i+1, 0), name); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", name, res.StatusCode, b)
		}
	}
	status, page = get(ds.owner)
	if status != http.StatusOK {
		t.Fatalf("owner: %d", status)
	}
	for _, want := range []string{"Current deck", "second deck.pdf", "Earlier versions", "first.pdf",
		`/api/v1/applications/` + fmt.Sprint(ds.app.ID) + `/deck/download?version=2`, "?version=1"} {
		if !strings.Contains(page, want) {
			t.Errorf("the owner's page lacks %q", want)
		}
	}

	status, page = get(ds.org)
	if status != http.StatusOK || strings.Contains(page, `id="deck-form"`) || !strings.Contains(page, "Only the applicant can upload the deck.") {
		t.Errorf("organizer: %d, with a form: %v", status, strings.Contains(page, `id="deck-form"`))
	}
	if status, _ = get(ds.other); status != http.StatusNotFound {
		t.Errorf("another applicant: %d", status)
	}

	res, _ := (&deckClient{t: t, srv: ds.srv}).request("GET", path, nil, "Accept", "text/html")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
		t.Errorf("visitor: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// French: the page and its sizes in French.
	res, b := ds.owner.request("GET", path+"?lang=fr", nil, "Accept", "text/html")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "Présentation actuelle") || !strings.Contains(string(b), " Ko") {
		t.Errorf("French page: %d", res.StatusCode)
	}
}

func TestARefusedFormUploadShowsTheDeckPageWithTheReason(t *testing.T) {
	ds := newDeckServer(t)
	path := fmt.Sprintf("/applications/%d/deck", ds.app.ID)
	send := func(file []byte) (int, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("return", path)
		fw, _ := mw.CreateFormFile("deck", "slides.pdf")
		fw.Write(file)
		mw.Close()
		res, b := ds.owner.request("POST", path, io.Reader(&buf), "Content-Type", mw.FormDataContentType(), "Accept", "text/html")
		return res.StatusCode, string(b)
	}
	status, page := send([]byte("<script>alert(1)</script>"))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`id="deck-form"`, `role="alert"`, "This file is not a PDF: export your slides as PDF and try again.", `aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if status, page = send(decktest.PDF(t, 9, 0)); status != http.StatusUnprocessableEntity || !strings.Contains(page, "this edition accepts at most 5") {
		t.Errorf("too many pages: %d", status)
	}
	if status, _ = send(decktest.PDF(t, 1, 0)); status != http.StatusSeeOther {
		t.Errorf("a good deck: %d", status)
	}
}
