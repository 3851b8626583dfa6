package pages

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/pitchfest/pitchfest/services"
)

// The parts of the intake list's view model that make it hold a national intake: numbered pages, and the
// state of the bulk forms (which rows are ticked, what was typed, the panels to choose from).

// intakePageSizes are the page sizes the list offers.
var intakePageSizes = []int{25, 50, 100}

// intakeBulk is the state of the bulk forms: the rows ticked (all of the page with SelectAll), what was typed or
// chosen, and the service's messages after a refusal.
type intakeBulk struct {
	Selected  map[int64]bool
	SelectAll bool
	Reason    string
	Panel     string // the chosen "round:panel"
	Error     string
	Errors    map[string]string // by field: reason, panel_id
}

// pager is the numbered pages of a list: links to the first, previous, nearby, next and last pages, each ""
// when it is the page shown.
type pager struct {
	Page, Pages             int
	First, Prev, Next, Last string
	Links                   []pageLink
}

// pageLink is one numbered page; Gap marks pages left out before it (shown as "…").
type pageLink struct {
	Number int
	URL    string // "" for the page shown
	Gap    bool
}

// pagerOf numbers the pages of base?query: page of pages, with the two pages either side of it, the first and
// the last.
func pagerOf(base string, query url.Values, page, pages int) pager {
	at := func(n int) string {
		if n == page {
			return ""
		}
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(n))
		return base + "?" + q.Encode()
	}
	p := pager{Page: page, Pages: pages, First: at(1), Last: at(pages)}
	if page > 1 {
		p.Prev = at(page - 1)
	}
	if page < pages {
		p.Next = at(page + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		p.Links = append(p.Links, pageLink{Number: n, URL: at(n), Gap: n > last+1})
		last = n
	}
	return p
}

// panelGroup is an <optgroup> of the bulk panel form: a round and its panels, each chosen as "round:panel".
type panelGroup struct {
	Label   string
	Options []choice
}

// panelGroupsOf lists the panels an application can be put on, by round, chosen marking the one picked before.
func panelGroupsOf(t viewText, rounds []services.RoundPanelChoices, chosen string) []panelGroup {
	var out []panelGroup
	for _, rp := range rounds {
		if len(rp.Panels) == 0 {
			continue
		}
		g := panelGroup{Label: rp.Round.NameI18n.Or(t.Lang, rp.Round.Name)}
		for _, p := range rp.Panels {
			value := fmt.Sprintf("%d:%d", rp.Round.ID, p.ID)
			g.Options = append(g.Options, choice{value, t.tr("intake.bulk.panel_option", p.Name, p.Entries), value == chosen})
		}
		out = append(out, g)
	}
	return out
}
