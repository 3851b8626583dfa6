package frontend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
)

func TestTheDeckPageRendersInEveryLanguageWithoutRawMessageIDs(t *testing.T) {
	r, tr := newRenderer(t)
	now := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	version := func(v int, name string) map[string]any {
		return map[string]any{"Version": v, "Pages": 12, "Size": "1.4 MB", "Name": name, "UploadedAt": now,
			"DownloadURL": "/api/v1/applications/7/deck/download?version=1"}
	}
	base := func() map[string]any {
		return map[string]any{"AppID": 7, "StartupName": "Ikawa", "MaxMB": 20, "MaxPages": 30, "Deadline": now, "Zone": "Africa/Kigali",
			"Current": (map[string]any)(nil), "Earlier": []map[string]any(nil), "CanUpload": false, "IsOwner": false,
			"Closed": false, "Error": "", "Upload": (map[string]any)(nil)}
	}
	// upload is the upload form of an owner who may upload, with the message of a refused upload.
	upload := func(msg string) map[string]any {
		return map[string]any{"Action": "/applications/7/deck", "APIPath": "/api/v1/applications/7/deck",
			"Return": "/applications/7/deck", "MaxMB": 20, "MaxBytes": 20 << 20, "MaxPages": 30, "Error": msg}
	}
	states := map[string]func(d map[string]any){
		"owner with history": func(d map[string]any) {
			d["Current"], d["Earlier"] = version(2, "deck.pdf"), []map[string]any{version(1, "")}
			d["CanUpload"], d["IsOwner"], d["Error"], d["Upload"] = true, true, "not a PDF", upload("not a PDF")
		},
		"owner, first upload": func(d map[string]any) { d["CanUpload"], d["IsOwner"], d["Upload"] = true, true, upload("") },
		"owner after the deadline": func(d map[string]any) {
			d["Current"], d["IsOwner"], d["Closed"] = version(1, "deck.pdf"), true, true
		},
		"organizer": func(d map[string]any) { d["Current"] = version(1, "deck.pdf") },
	}
	for _, l := range frontend.Languages {
		for state, set := range states {
			d := base()
			set(d)
			p := r.NewPage(l.Code, "deck.title")
			p.Path = "/applications/7/deck"
			p.Data = d
			out := render(t, r, "deck", p)
			for _, id := range rawMessageIDs(out, tr) {
				t.Errorf("%s, %s shows the raw message id %q", l.Code, state, id)
			}
			if strings.Contains(out, "%!") {
				t.Errorf("%s, %s has a bad format verb", l.Code, state)
			}
			hasForm := strings.Contains(out, `id="deck-form"`)
			if hasForm != (d["CanUpload"] == true) {
				t.Errorf("%s, %s: upload form shown %v", l.Code, state, hasForm)
			}
			if hasForm && !strings.Contains(out, `<script src="/static/deck.`) {
				t.Errorf("%s, %s: the form comes without its script", l.Code, state)
			}
		}
	}
}
