// Package s3 stores blobs in any S3-compatible service (AWS S3, MinIO, SeaweedFS, Garage, versitygw) through
// aws-sdk-go-v2: the production backend, shared by every app process.
package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/pitchfest/pitchfest/storage"
)

// Options says where the bucket is and how to sign.
type Options struct {
	Bucket    string
	Endpoint  string // empty for AWS itself
	Region    string
	PathStyle bool
	AccessKey string // empty: the SDK's default credential chain (env, shared config, instance role)
	SecretKey string
	// Timeout bounds each call that is not a streaming transfer; zero means 30 s.
	Timeout time.Duration
}

// Store is a storage.Blobs on one bucket.
type Store struct {
	client  *s3.Client
	presign *s3.PresignClient
	bucket  string
	timeout time.Duration
}

var (
	_ storage.Blobs         = (*Store)(nil)
	_ storage.Lister        = (*Store)(nil)
	_ storage.PostPresigner = (*Store)(nil)
)

// New builds a client; it makes no network call (Ping does).
func New(ctx context.Context, o Options) (*Store, error) {
	if o.Bucket == "" {
		return nil, errors.New("s3 storage: bucket is required")
	}
	loadOpts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(o.Region)}
	if o.AccessKey != "" {
		loadOpts = append(loadOpts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(o.AccessKey, o.SecretKey, "")))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("s3 storage: %w", err)
	}
	client := s3.NewFromConfig(cfg, func(so *s3.Options) {
		if o.Endpoint != "" {
			so.BaseEndpoint = aws.String(o.Endpoint)
		}
		so.UsePathStyle = o.PathStyle
		// Checksums only where S3 requires them: self-hosted servers differ in their support for the newer
		// default trailing checksums, and TLS plus our own SHA-256 of each deck already guard integrity.
		so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	t := o.Timeout
	if t == 0 {
		t = 30 * time.Second
	}
	return &Store{client: client, presign: s3.NewPresignClient(client), bucket: o.Bucket, timeout: t}, nil
}

// Client exposes the SDK client for features beyond Blobs (presigned POST uploads, bucket set-up in tests).
func (s *Store) Client() *s3.Client { return s.client }

// Bucket names the bucket this store writes to.
func (s *Store) Bucket() string { return s.bucket }

// Put implements storage.Blobs. The body streams straight from r: the payload is sent unsigned (the SDK would
// otherwise have to read it twice to hash it, which needs a seekable body or the whole file in memory), while
// the request itself stays SigV4-signed and Content-Length is fixed up front.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := storage.ValidateKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("%w: size must be known", storage.ErrSizeMismatch)
	}
	cr := &storage.CountingReader{R: r, Want: size}
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(key),
		Body:          io.NopCloser(cr), // hides any Seek method so the SDK never buffers or rewinds
		ContentLength: aws.Int64(size),
		ContentType:   aws.String(contentType),
	}, s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware), func(o *s3.Options) {
		o.RetryMaxAttempts = 1 // a consumed stream cannot be replayed; the caller decides whether to retry
	})
	if err != nil {
		if errors.Is(err, storage.ErrSizeMismatch) || cr.Mismatch {
			return storage.ErrSizeMismatch
		}
		return fmt.Errorf("s3 put %s: %w", key, err)
	}
	return nil
}

// Open implements storage.Blobs.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, storage.Info, error) {
	if err := storage.ValidateKey(key); err != nil {
		return nil, storage.Info{}, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return nil, storage.Info{}, s.wrap("get", key, err)
	}
	return out.Body, storage.Info{
		Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType),
		ModTime: aws.ToTime(out.LastModified).UTC(),
	}, nil
}

// Stat implements storage.Blobs.
func (s *Store) Stat(ctx context.Context, key string) (storage.Info, error) {
	if err := storage.ValidateKey(key); err != nil {
		return storage.Info{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return storage.Info{}, s.wrap("head", key, err)
	}
	return storage.Info{
		Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType),
		ModTime: aws.ToTime(out.LastModified).UTC(),
	}, nil
}

// Delete implements storage.Blobs; S3 already treats deleting an absent key as success.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := storage.ValidateKey(key); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return s.wrap("delete", key, err)
	}
	return nil
}

// URL implements storage.Blobs with a presigned GET that overrides the response headers, so the service itself
// sends the file as an attachment typed as opaque bytes.
func (s *Store) URL(ctx context.Context, key string, ttl time.Duration, downloadName string) (string, error) {
	if err := storage.ValidateKey(key); err != nil {
		return "", err
	}
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket:                     aws.String(s.bucket),
		Key:                        aws.String(key),
		ResponseContentDisposition: aws.String(storage.AttachmentDisposition(downloadName)),
		ResponseCacheControl:       aws.String("private, no-store"),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("s3 presign %s: %w", key, err)
	}
	return req.URL, nil
}

// List implements storage.Lister with ListObjectsV2, a page of up to 1000 keys per request.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[storage.Info, error] {
	return func(yield func(storage.Info, error) bool) {
		if err := storage.ValidatePrefix(prefix); err != nil {
			yield(storage.Info{}, err)
			return
		}
		in := &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket)}
		if prefix != "" {
			in.Prefix = aws.String(prefix)
		}
		p := s3.NewListObjectsV2Paginator(s.client, in)
		for p.HasMorePages() {
			pctx, cancel := context.WithTimeout(ctx, s.timeout)
			page, err := p.NextPage(pctx)
			cancel()
			if err != nil {
				yield(storage.Info{}, fmt.Errorf("s3 list %q: %w", prefix, err))
				return
			}
			for _, o := range page.Contents {
				info := storage.Info{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified).UTC()}
				if !yield(info, nil) {
					return
				}
			}
		}
	}
}

// PresignPost implements storage.PostPresigner with a POST policy: the exact key (the SDK adds that condition),
// an exact Content-Type, and a content-length-range of 1 to maxBytes, so S3 itself refuses a larger file
// before storing any of it.
func (s *Store) PresignPost(ctx context.Context, key, contentType string, maxBytes int64, ttl time.Duration) (storage.PresignedPost, error) {
	if err := storage.ValidateKey(key); err != nil {
		return storage.PresignedPost{}, err
	}
	if maxBytes < 1 {
		return storage.PresignedPost{}, errors.New("s3 presign post: maxBytes must be positive")
	}
	expires := time.Now().Add(ttl)
	req, err := s.presign.PresignPostObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(key),
	}, func(o *s3.PresignPostOptions) {
		o.Expires = ttl
		o.Conditions = []any{
			[]any{"content-length-range", 1, maxBytes},
			map[string]string{"Content-Type": contentType},
		}
	})
	if err != nil {
		return storage.PresignedPost{}, fmt.Errorf("s3 presign post %s: %w", key, err)
	}
	fields := make(map[string]string, len(req.Values)+1)
	for k, v := range req.Values {
		fields[k] = v
	}
	fields["Content-Type"] = contentType
	return storage.PresignedPost{URL: req.URL, Fields: fields, Expires: expires}, nil
}

// Ping implements storage.Blobs: the bucket must exist and the credentials must reach it.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	if err != nil {
		return fmt.Errorf("s3 bucket %q: %w", s.bucket, err)
	}
	return nil
}

// CreateBucket creates the bucket if it does not exist yet; embedded set-ups and tests use it.
func (s *Store) CreateBucket(ctx context.Context) error {
	_, err := s.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s.bucket)})
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return fmt.Errorf("s3 create bucket %q: %w", s.bucket, err)
	}
	return nil
}

func (s *Store) wrap(op, key string, err error) error {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return storage.ErrNotFound
	}
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound") {
		return storage.ErrNotFound
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound {
		return storage.ErrNotFound
	}
	return fmt.Errorf("s3 %s %s: %w", op, key, err)
}
