package web

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// Input hygiene, applied once where input enters: control characters (NUL above all, which PostgreSQL refuses
// with an error) are stripped from every bound string, query value and form value by services.StripControls, so
// no store call ever sees one. What a person must fix instead is refused with a message on the field: a
// bidirectional override anywhere, or a required text with nothing visible in it. Passwords are left exactly as
// typed: they are only hashed, never stored or shown, and changing one would lock its owner out.

// cleanInput strips control characters from the path's query values and from urlencoded form bodies, for the
// handlers that read them directly (c.Query, c.PostForm); bindJSON and bindForm clean what they bind. A path
// holding a control character names nothing we serve. Multipart bodies (uploads) are left to their handlers,
// which read files rather than text.
func (s *Server) CleanInput(c *gin.Context) {
	if strings.IndexFunc(c.Request.URL.Path, isControl) >= 0 {
		s.Fail(c, models.ErrNotFound)
		return
	}
	if q := c.Request.URL.RawQuery; q != "" && dirtyQuery(q) {
		vals := c.Request.URL.Query()
		cleanValues(vals)
		c.Request.URL.RawQuery = vals.Encode()
	}
	// Routes that read their body raw (uploads, imports) are left alone whatever its type says.
	if c.Request.Method == http.MethodPost && !s.largeBody[c.FullPath()] {
		ct, _, _ := strings.Cut(c.GetHeader("Content-Type"), ";")
		if strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded") {
			if err := c.Request.ParseForm(); err != nil {
				s.UnreadableForm(c, err)
				return
			}
			cleanValues(c.Request.PostForm)
			cleanValues(c.Request.Form)
		}
	}
	c.Next()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) }

// dirtyQuery reports whether a raw query may decode to a control character or a byte that is not UTF-8: only
// then is it rewritten.
func dirtyQuery(q string) bool {
	for i := 0; i+2 < len(q); i++ {
		if q[i] == '%' && (q[i+1] < '2' || q[i+1] > '7' || (q[i+1] == '7' && (q[i+2] == 'f' || q[i+2] == 'F'))) {
			return true
		}
	}
	return strings.IndexFunc(q, isControl) >= 0
}

// cleanValues strips control characters from every value (and name) of a form or query, passwords excepted.
func cleanValues(vals map[string][]string) {
	for k, vs := range vals {
		if rawField(k) {
			continue
		}
		clean := services.StripControls(k)
		for i, v := range vs {
			vs[i] = services.StripControls(v)
		}
		if clean != k {
			delete(vals, k)
			vals[clean] = append(vals[clean], vs...)
		}
	}
}

// rawField reports whether a field holds a password, which is kept as typed (see above).
func rawField(name string) bool { return strings.Contains(strings.ToLower(name), "password") }

// cleanBound strips control characters from every string reachable in v (a pointer to a bound request: structs,
// pointers, slices, maps and interfaces), in place, and returns a message id per field a person must fix: a
// bidirectional override, or a field tagged `binding:"required"` with nothing visible. Fields are named as the
// client spells them (the json or form tag); at most maxFieldMessages are reported.
func cleanBound(v any) map[string]string {
	bad := map[string]string{}
	walkClean(reflect.ValueOf(v), "", false, bad)
	return bad
}

func walkClean(v reflect.Value, name string, required bool, bad map[string]string) {
	if len(bad) >= maxFieldMessages {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Interface {
			// Values inside an interface are not addressable: clean a copy and put it back.
			inner := v.Elem()
			cp := reflect.New(inner.Type()).Elem()
			cp.Set(inner)
			walkClean(cp, name, required, bad)
			if v.CanSet() {
				v.Set(cp)
			}
			return
		}
		walkClean(v.Elem(), name, required, bad)
	case reflect.String:
		if rawField(name) {
			return
		}
		s := v.String()
		clean := services.StripControls(s)
		if clean != s && v.CanSet() {
			v.SetString(clean)
		}
		switch {
		case services.HasBidiControl(clean):
			bad[fieldName(name)] = services.MsgBidi
		case required && !services.Visible(clean):
			bad[fieldName(name)] = "field.required"
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			child := name
			if !f.Anonymous {
				child = joinField(name, tagName(f))
			}
			req := strings.Contains(","+f.Tag.Get("binding")+",", ",required,")
			walkClean(v.Field(i), child, req, bad)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw bytes (json.RawMessage) are not text
		}
		for i := 0; i < v.Len(); i++ {
			walkClean(v.Index(i), joinField(name, strconv.Itoa(i)), false, bad)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		iter := v.MapRange()
		type kv struct{ k, v reflect.Value }
		var rewrite []kv
		for iter.Next() {
			k, e := iter.Key(), iter.Value()
			ck := reflect.New(k.Type()).Elem()
			ck.Set(k)
			walkClean(ck, name, false, bad)
			ce := reflect.New(e.Type()).Elem()
			ce.Set(e)
			label := name
			if k.Kind() == reflect.String {
				label = joinField(name, ck.String())
			}
			walkClean(ce, label, false, bad)
			rewrite = append(rewrite, kv{k, reflect.Value{}}, kv{ck, ce})
		}
		for i := 0; i < len(rewrite); i += 2 {
			v.SetMapIndex(rewrite[i].k, reflect.Value{})
		}
		for i := 1; i < len(rewrite); i += 2 {
			v.SetMapIndex(rewrite[i].k, rewrite[i].v)
		}
	}
}

// tagName is the field's name as clients spell it: its json tag, else its form tag, else the Go name.
func tagName(f reflect.StructField) string {
	for _, tag := range []string{"json", "form"} {
		if n, _, _ := strings.Cut(f.Tag.Get(tag), ","); n != "" && n != "-" {
			return n
		}
	}
	return f.Name
}

func joinField(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

func fieldName(name string) string {
	if name == "" {
		return "body"
	}
	return name
}
