package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"sync"

	"github.com/gin-gonic/gin"
)

// The OpenAPI 3.1 description of every /api route is written by hand next to the handlers it describes, in
// pieces: openapi/base.json holds the document's frame (info, security schemes, shared error responses and
// schemas) and every other openapi/*.json adds the paths, tags and component schemas of one area of the API
// (auth, applications, decks…). Each area's authors edit only their own file; the pieces are merged when first
// served. TestOpenAPIDescribesEveryAPIRoute fails when a registered /api route is missing from the result, or
// when it describes a route the router does not have.
//
//go:embed openapi/*.json
var openAPIFiles embed.FS

// openAPIBase is the piece that frames the document.
const openAPIBase = "base.json"

var openAPIDoc = sync.OnceValues(func() ([]byte, error) { return mergeOpenAPI(openAPIFiles) })

// OpenAPISpec returns the merged OpenAPI description, or why the pieces do not merge (a path or a schema
// defined twice), for tests and tools.
func OpenAPISpec() ([]byte, error) { return openAPIDoc() }

// mergeOpenAPI merges openapi/base.json with every other openapi/*.json of fsys, in name order. A path
// operation or a component defined by two pieces is an error rather than a silent overwrite.
func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	read := func(name string) (map[string]any, error) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return doc, nil
	}
	doc, err := read(path.Join("openapi", openAPIBase))
	if err != nil {
		return nil, err
	}
	paths := section(doc, "paths")
	components := section(doc, "components")
	tags, _ := doc["tags"].([]any)
	for _, name := range names {
		if path.Base(name) == openAPIBase {
			continue
		}
		piece, err := read(name)
		if err != nil {
			return nil, err
		}
		if err := mergeObjects(name, section(piece, "paths"), paths, "path %s"); err != nil {
			return nil, err
		}
		if err := mergeObjects(name, section(piece, "components"), components, "components.%s"); err != nil {
			return nil, err
		}
		if more, ok := piece["tags"].([]any); ok {
			tags = append(tags, more...)
		}
	}
	doc["tags"] = tags
	return json.MarshalIndent(doc, "", "  ")
}

// mergeObjects adds the members of each object in from (a path's operations, a kind of component's
// definitions) to the object of the same key in into, created when absent. A member into already has is an
// error rather than a silent overwrite; errors name the piece, and the object as naming formats its key.
func mergeObjects(piece string, from, into map[string]any, naming string) error {
	for key, v := range from {
		members, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %s is not an object", piece, fmt.Sprintf(naming, key))
		}
		dst := section(into, key)
		for k, m := range members {
			if _, dup := dst[k]; dup {
				return fmt.Errorf("%s: %s: %s is defined twice", piece, fmt.Sprintf(naming, key), k)
			}
			dst[k] = m
		}
	}
	return nil
}

// section returns m[key] as an object, creating it when absent.
func section(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}

// openAPI serves the description so API clients can generate code and read the contract.
func (s *Server) openAPI(c *gin.Context) {
	doc, err := openAPIDoc()
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json; charset=utf-8", doc)
}
