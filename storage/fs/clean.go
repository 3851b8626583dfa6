package fs

import (
	"path/filepath"
	"time"

	"github.com/pitchfest/pitchfest/storage"
)

// CleanTmp removes files left in tmp/ by writes that never finished (a process killed mid-upload) and last
// changed before olderThan: a write in flight keeps its file fresh, so only leftovers are taken. It returns how
// many it removed.
func (s *Store) CleanTmp(olderThan time.Time) (int, error) {
	return storage.RemoveStale(filepath.Join(s.root, "tmp"), olderThan, "put-", "ping-")
}
