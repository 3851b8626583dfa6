package fs_test

import (
	"testing"

	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/storagetest"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestDiskBlobsMeetTheContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Blobs { return testutil.NewBlobs(t) })
}
