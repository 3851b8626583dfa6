package storage

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// RemoveStale removes the regular files directly in dir whose name starts with one of prefixes and which were
// last modified before olderThan, and returns how many it removed. A file that vanished meanwhile (removed by its
// own writer) is not an error.
func RemoveStale(dir string, olderThan time.Time, prefixes ...string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !hasAnyPrefix(e.Name(), prefixes) {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(olderThan) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err == nil {
			n++
		} else if !os.IsNotExist(err) {
			return n, err
		}
	}
	return n, nil
}

func hasAnyPrefix(name string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
