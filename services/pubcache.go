package services

import (
	"sync"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// pubCacheSize is how many publications a pubCache holds before it is emptied, which only a process serving
// many databases (tests) reaches.
const pubCacheSize = 512

// pubCache keeps what was decoded from publications' snapshots, by store and publication id. A publication's
// snapshot never changes once made, so an entry is only stale if its id was reused after a deletion, which
// the creation time catches. It is shared by the applicant statuses (Publishing) and the statistics, which
// each keep their own cache of their own decoding.
type pubCache[V any] struct {
	mu sync.Mutex
	m  map[pubCacheKey]pubCacheEntry[V]
}

type pubCacheKey struct {
	store *models.Store
	id    int64
}

type pubCacheEntry[V any] struct {
	createdAt time.Time
	value     V
}

// get returns what was cached for the publication, if it was cached for this creation time.
func (c *pubCache[V]) get(store *models.Store, id int64, createdAt time.Time) (V, bool) {
	c.mu.Lock()
	e, ok := c.m[pubCacheKey{store, id}]
	c.mu.Unlock()
	if !ok || !e.createdAt.Equal(createdAt) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// put caches v for the publication, emptying the cache first when it is full.
func (c *pubCache[V]) put(store *models.Store, id int64, createdAt time.Time, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= pubCacheSize {
		c.m = map[pubCacheKey]pubCacheEntry[V]{}
	}
	c.m[pubCacheKey{store, id}] = pubCacheEntry[V]{createdAt: createdAt, value: v}
}
