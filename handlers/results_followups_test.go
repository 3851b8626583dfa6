package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// importReq posts a scores.csv to the API import. size is the Content-Length to announce: -1 sends the body
// chunked, with no length, so only the server's reader can stop it.
func importReq(t *testing.T, srv *testutil.Server, session string, roundID int64, body io.Reader, size int64, contentType string) (int, string) {
	t.Helper()
	req := sameOrigin(srv, session, "POST", fmt.Sprintf("/api/v1/rounds/%d/scores/import", roundID), body, "Content-Type", contentType)
	req.ContentLength = size
	if size < 0 {
		req.Body = io.NopCloser(body) // hide the length from the client too
	}
	res, b := roundTrip(t, req)
	return res.StatusCode, b
}

// The API import takes a scores.csv up to the service's 4 MB, past the router's 1 MB cap for JSON bodies, and
// refuses a larger one with a 413 that says the limit, whether its size is announced or not.
func TestTheScoresImportAPITakesTwoMegabytesAndRefusesMoreThanFour(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	st := srv.App.Store
	ctx := context.Background()
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A valid file made large by leading zeros on one score (which still parses as the same number).
	csvOf := func(size int) []byte {
		var b bytes.Buffer
		b.WriteString("judge,application,criterion,score\n")
		for _, j := range w.Judges {
			for _, a := range w.Apps {
				for _, c := range cs {
					fmt.Fprintf(&b, "%s,%s,%q,", services.JudgeKey(j.ID), a.RefString(), c.Name["en"])
					if pad := size - b.Len() - 64; b.Len() < 200 && pad > 0 {
						b.WriteString(strings.Repeat("0", pad))
					}
					fmt.Fprintf(&b, "%d\n", c.ScaleMax)
				}
			}
		}
		return b.Bytes()
	}
	want := fmt.Sprintf(`"scores":%d`, len(w.Judges)*len(w.Apps))

	t.Run("a 2 MB file as the body imports", func(t *testing.T) {
		body := csvOf(2 << 20)
		if len(body) < 2<<20-1024 {
			t.Fatalf("the file is only %d bytes", len(body))
		}
		code, res := importReq(t, srv, org, w.Round.ID, bytes.NewReader(body), int64(len(body)), "text/csv")
		if code != http.StatusOK || !strings.Contains(res, want) {
			t.Fatalf("2 MB text/csv: %d %s", code, res)
		}
	})

	t.Run("a 2 MB file in a multipart form imports", func(t *testing.T) {
		body, ct := multipartFile(t, "scores.csv", string(csvOf(2<<20)))
		buf, _ := io.ReadAll(body)
		code, res := importReq(t, srv, org, w.Round.ID, bytes.NewReader(buf), int64(len(buf)), ct)
		if code != http.StatusOK || !strings.Contains(res, want) {
			t.Fatalf("2 MB multipart: %d %s", code, res)
		}
	})

	tooLarge := tr.T("en", "results.import.too_large", services.MaxImportBytes>>20)
	big := csvOf(services.MaxImportBytes + 4096)
	refused := func(t *testing.T, what string, code int, res string) {
		t.Helper()
		var e struct{ Error string }
		json.Unmarshal([]byte(res), &e)
		if code != http.StatusRequestEntityTooLarge || e.Error != tooLarge {
			t.Errorf("%s: %d %q, want 413 %q", what, code, e.Error, tooLarge)
		}
	}
	t.Run("more than 4 MB is a 413 saying the limit", func(t *testing.T) {
		code, res := importReq(t, srv, org, w.Round.ID, bytes.NewReader(big), int64(len(big)), "text/csv")
		refused(t, "announced", code, res)
		code, res = importReq(t, srv, org, w.Round.ID, bytes.NewReader(big), -1, "text/csv")
		refused(t, "chunked", code, res)
		body, ct := multipartFile(t, "scores.csv", string(big))
		buf, _ := io.ReadAll(body)
		code, res = importReq(t, srv, org, w.Round.ID, bytes.NewReader(buf), -1, ct)
		refused(t, "multipart, chunked", code, res)
	})

	t.Run("a file just over 4 MB inside a form under the form's limit is a 413 too", func(t *testing.T) {
		body, ct := multipartFile(t, "scores.csv", string(csvOf(services.MaxImportBytes+1024)))
		buf, _ := io.ReadAll(body)
		code, res := importReq(t, srv, org, w.Round.ID, bytes.NewReader(buf), int64(len(buf)), ct)
		refused(t, "multipart", code, res)
	})

	t.Run("a judge is refused, and an unknown round is a 404, before any size matters", func(t *testing.T) {
		code, _ := importReq(t, srv, newSession(t, st, w.Judges[0].ID), w.Round.ID, bytes.NewReader(big), int64(len(big)), "text/csv")
		if code != http.StatusForbidden {
			t.Errorf("judge: %d, want 403", code)
		}
		if code, _ := importReq(t, srv, org, 999999, bytes.NewReader(big), int64(len(big)), "text/csv"); code != http.StatusNotFound {
			t.Errorf("no such round: %d, want 404", code)
		}
	})
}

// announcedAPI is the part of an application's API answer this test reads.
type announcedAPI struct {
	ID              int64      `json:"id"`
	Status          string     `json:"status"`
	AnnouncedStatus *string    `json:"announced_status"`
	AnnouncedAt     *time.Time `json:"announced_at"`
}

// The API gives the announced status (finalist) beside the stored one, from the moment the publication that
// announces it is live and not before; the organizers' intake list (page and API) says the same.
func TestTheAPIAndTheIntakeListSayFinalistOnlyOnceTheAdvancementIsLive(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true) // a closed first round, a final one next
	clock := time.Now().UTC()
	srv.App.Publishing.Now = func() time.Time { return clock }
	out, at, applicantOf := embargoedAdvancement(t, srv, w, clock)
	org := newSession(t, st, w.Organizer.ID)
	finalist, eliminated := out.Advanced[0], out.Eliminated[0]

	// views returns what the application's API answers and the applicant's list say of id.
	views := func(t *testing.T, id int64) []announcedAPI {
		t.Helper()
		var one announcedAPI
		code, body := requestAs(t, srv, applicantOf[id], "GET", fmt.Sprintf("/api/v1/applications/%d", id), "")
		if code != http.StatusOK || json.Unmarshal([]byte(body), &one) != nil {
			t.Fatalf("GET application %d: %d %s", id, code, body)
		}
		var mine struct{ Applications []announcedAPI }
		code, body = requestAs(t, srv, applicantOf[id], "GET", "/api/v1/me/applications", "")
		if code != http.StatusOK || json.Unmarshal([]byte(body), &mine) != nil || len(mine.Applications) != 1 || mine.Applications[0].ID != id {
			t.Fatalf("GET my applications: %d %s", code, body)
		}
		if !strings.Contains(body, `"announced_status":null`) && mine.Applications[0].AnnouncedStatus == nil {
			t.Error("announced_status is left out rather than null")
		}
		return []announcedAPI{one, mine.Applications[0]}
	}
	intake := fmt.Sprintf("/organize/editions/%d/applications", w.Edition.ID)
	// listed is what the organizers' API list announces, by application.
	listed := func(t *testing.T) map[int64]string {
		t.Helper()
		var l struct{ Applications []announcedAPI }
		code, body := requestAs(t, srv, org, "GET", fmt.Sprintf("/api/v1/editions/%d/applications", w.Edition.ID), "")
		if code != http.StatusOK || json.Unmarshal([]byte(body), &l) != nil || len(l.Applications) != len(w.Apps) {
			t.Fatalf("organizers' list: %d %s", code, body)
		}
		out := map[int64]string{}
		for _, a := range l.Applications {
			if a.AnnouncedStatus != nil {
				out[a.ID] = *a.AnnouncedStatus
			}
		}
		return out
	}
	badge := func(label string) string { return `<span class="badge">` + label + `</span>` }

	t.Run("before the publication is live the API says submitted", func(t *testing.T) {
		for _, id := range []int64{finalist, eliminated} {
			for _, v := range views(t, id) {
				if v.Status != "submitted" || v.AnnouncedStatus != nil || v.AnnouncedAt != nil {
					t.Errorf("application %d while embargoed: %+v, want submitted and nothing announced", id, v)
				}
			}
		}
		if code, page := pageGet(t, srv, org, intake); code != http.StatusOK || strings.Contains(page, badge("Finalist")) {
			t.Errorf("intake list while embargoed: %d, shows a finalist", code)
		}
		if got := listed(t); len(got) != 0 {
			t.Errorf("organizers' API list while embargoed announces %v", got)
		}
	})

	clock = at.Add(time.Minute)
	t.Run("once live the finalist's API says finalist, with when", func(t *testing.T) {
		for _, v := range views(t, finalist) {
			if v.Status != "submitted" || v.AnnouncedStatus == nil || *v.AnnouncedStatus != "finalist" ||
				v.AnnouncedAt == nil || v.AnnouncedAt.Sub(at).Abs() >= time.Second { // stored to the second
				t.Errorf("finalist once live: %+v, want status submitted, announced finalist at %s", v, at)
			}
		}
		for _, v := range views(t, eliminated) {
			if v.Status != "submitted" || v.AnnouncedStatus == nil || *v.AnnouncedStatus != "eliminated" {
				t.Errorf("eliminated once live: %+v, want status submitted, announced eliminated", v)
			}
		}
	})

	t.Run("once live the intake list labels the finalist's row, in each language", func(t *testing.T) {
		for lang, label := range map[string]string{"en": "Finalist", "fr": "Finaliste", "rw": "Bwageze ku cyiciro cya nyuma"} {
			code, page := pageGet(t, srv, org, intake+"?lang="+lang)
			if code != http.StatusOK || strings.Count(page, badge(label)) != len(out.Advanced) {
				t.Errorf("intake list (%s): %d, want %d rows labelled %q", lang, code, len(out.Advanced), label)
			}
		}
		got := listed(t)
		if len(got) != len(w.Apps) || got[finalist] != "finalist" || got[eliminated] != "eliminated" {
			t.Errorf("organizers' API list once live announces %v, want the %d advanced as finalists, the others eliminated", got, len(out.Advanced))
		}
	})

	t.Run("another applicant still cannot read the finalist's application", func(t *testing.T) {
		if code, _ := requestAs(t, srv, applicantOf[eliminated], "GET", fmt.Sprintf("/api/v1/applications/%d", finalist), ""); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Errorf("someone else's application: %d", code)
		}
	})
}
