// Package frontend holds everything a browser receives: page templates, static assets (CSS, vendored htmx) and
// the message catalogs for English, French and Kinyarwanda. It is all embedded in the binary, so running
// Pitchfest needs no Node and no files beside the executable.
package frontend

import "embed"

//go:embed templates static i18n
var files embed.FS
