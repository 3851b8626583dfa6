package frontend

import "strings"

// Under reports whether the current page lies under a section of the site ("/admin/" holds /admin/audit),
// so the header menu can mark the section a person is in.
func (p Page) Under(prefix string) bool { return strings.HasPrefix(p.Path, prefix) }
