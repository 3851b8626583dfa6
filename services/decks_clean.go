package services

import (
	"os"
	"time"

	"github.com/pitchfest/pitchfest/storage"
)

// StaleAfter is how old a spooled upload or an unfinished blob write must be before it counts as left behind by
// a process that died: far beyond the server's five-minute read timeout plus the deck check, so a file still in
// use (by this process or another sharing the directory) is never taken.
const StaleAfter = 30 * time.Minute

// spoolPrefix starts the name of every spooled upload (see spool), so cleaning takes nothing else from a shared
// temp directory.
const spoolPrefix = "deck-upload-"

// CleanSpool removes spooled uploads older than StaleAfter from the upload temp dir (PITCHFEST_UPLOAD_TMP_DIR or
// the system's): a process killed during an upload leaves its file behind, and nothing else ever would remove
// it. It runs at start and with the periodic sweep, and returns how many files it removed.
func (d *Decks) CleanSpool(now time.Time) (int, error) {
	dir := d.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	return storage.RemoveStale(dir, now.Add(-StaleAfter), spoolPrefix)
}
