package services

import (
	"bytes"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Markdown is rendered by goldmark, which drops raw HTML unless told otherwise, and the result is then passed
// through bluemonday's user-generated-content policy: two independent layers, so a bug in either alone does not
// let an organizer's description (or a stolen organizer account) run script in applicants' browsers.
var (
	markdownOnce sync.Once
	markdownMD   goldmark.Markdown
	markdownSan  *bluemonday.Policy
)

// RenderMarkdown turns Markdown into sanitized HTML, safe to insert into a page as is.
func RenderMarkdown(src string) string {
	markdownOnce.Do(func() {
		markdownMD = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
		p := bluemonday.UGCPolicy()
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		markdownSan = p
	})
	var buf bytes.Buffer
	if err := markdownMD.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only on writer errors, which a bytes.Buffer never returns; show nothing rather than raw.
		return ""
	}
	return markdownSan.Sanitize(buf.String())
}
