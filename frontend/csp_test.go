package frontend_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The CSP allows styles from our stylesheets only (style-src 'self'): a style attribute in a template, or one
// our scripts write (setAttribute("style"), HTML with a style in it), is refused by the browser with a console
// error each time. Scripts may still set element.style properties, which the CSP allows.
func TestNoTemplateOrScriptWritesAStyleAttribute(t *testing.T) {
	attr := regexp.MustCompile(`\sstyle\s*=`)
	script := regexp.MustCompile(`setAttribute\(\s*["']style["']|style=\\?["']|\.cssText\s*=`)
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var re *regexp.Regexp
		switch {
		case strings.HasPrefix(path, "templates/") && strings.HasSuffix(path, ".html"):
			re = attr
		case strings.HasPrefix(path, "static/") && strings.HasSuffix(path, ".js") && !strings.HasSuffix(path, ".min.js"):
			re = script
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if loc := re.FindIndex(b); loc != nil {
			t.Errorf("%s writes a style attribute, which the CSP refuses: %q", path, b[max(loc[0]-40, 0):min(loc[1]+40, len(b))])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d files checked", checked)
	}
}
