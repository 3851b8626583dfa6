package s3_test

import (
	"testing"

	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/storagetest"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestS3BlobsMeetTheContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Blobs { return testutil.NewS3Blobs(t) })
}
