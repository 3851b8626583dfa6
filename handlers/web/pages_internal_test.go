package web

import "testing"

func TestGettableMatchesThePathPatternsOfGETRoutes(t *testing.T) {
	s := &Server{}
	if !s.Gettable("/anything") {
		t.Error("with no routes recorded, every path is taken to be a page")
	}
	s.SetPageRoutes([]string{"/", "/organize/editions/:id/judges", "/v/:short", "/blobs/*key"})
	for path, want := range map[string]bool{
		"/":                                  true,
		"/organize/editions/7/judges":        true,
		"/organize/editions/7/judges/invite": false,
		"/organize/editions//judges":         false,
		"/v/abc123":                          true,
		"/v/abc123/code":                     false,
		"/blobs/a/b/c":                       true,
		"/organize/editions/7":               false,
	} {
		if got := s.Gettable(path); got != want {
			t.Errorf("Gettable(%q) = %v, want %v", path, got, want)
		}
	}
}
