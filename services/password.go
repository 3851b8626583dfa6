package services

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) — about 30 ms of one core on the
// 2-vCPU benchmark machine (docs/benchmarks.md, deadline rush), slow enough to make guessing expensive;
// hashSlots keeps a sign-in burst at a deadline from taking more than the cores.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// Password length limits (ASVS 2.1.1 and 2.1.2): long passphrases welcome, but bounded so hashing cannot be
// used to exhaust memory and CPU.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// common-passwords.txt.gz holds the 50,000 most common passwords of 8+ characters (lower-cased), from the
// SecLists 10-million list, so "password1" is refused however it is capitalized.
//
//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic(fmt.Sprintf("embedded password list: %v", err))
	}
	set := make(map[string]struct{}, 50000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		set[sc.Text()] = struct{}{}
	}
	return set
})

// PasswordProblem returns a message id explaining why a password is refused, or "" if it is acceptable.
// Message ids are translated by the caller.
func PasswordProblem(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return "password.too_short"
	case n > MaxPasswordLen:
		return "password.too_long"
	}
	lower := strings.ToLower(pw)
	if _, common := commonPasswords()[lower]; common {
		return "password.common"
	}
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && len(local) >= 4 && strings.Contains(lower, local) {
		return "password.contains_email"
	}
	return ""
}

// hashSlots bounds how many argon2id computations run at once to GOMAXPROCS (read when the process starts).
// Each one is pure CPU on one core and allocates 19 MiB: running more at once than there are cores makes no
// check finish sooner, only multiplies the memory in flight and makes the GC thrash, so a sign-in burst at a
// deadline slowed every other request down. Callers beyond the bound queue here instead: sign-in latency
// grows with the queue, but the rest of the server keeps its cores and its memory.
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// argonKey is argon2.IDKey; a variable only so the test can observe how many run at once.
var argonKey = argon2.IDKey

// boundedArgonKey computes an argon2id key once a slot is free, or returns ctx's error if ctx ends while it
// waits (a client that gave up does not spend a core). Once started, a computation runs to the end.
func boundedArgonKey(ctx context.Context, pw, salt []byte, t, m uint32, threads uint8, keyLen uint32) ([]byte, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-hashSlots }()
	return argonKey(pw, salt, t, m, threads, keyLen), nil
}

// HashPassword returns an argon2id hash in the PHC string format, with its own random salt and parameters, so
// parameters can be raised later without breaking old hashes. It waits for a hashing slot without a deadline;
// request paths use HashPasswordContext.
func HashPassword(pw string) (string, error) {
	return HashPasswordContext(context.Background(), pw)
}

// HashPasswordContext is HashPassword, giving up with ctx's error if ctx ends while it waits for a hashing
// slot (see hashSlots).
func HashPasswordContext(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := boundedArgonKey(ctx, []byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	if err != nil {
		return "", err
	}
	return encodeHash(salt, key), nil
}

// errBadHash reports a stored hash we cannot parse; it never matches.
var errBadHash = errors.New("unrecognized password hash")

// CheckPassword compares pw with a stored hash in constant time. It waits for a hashing slot without a
// deadline; request paths use CheckPasswordContext.
func CheckPassword(pw, encoded string) (bool, error) {
	return CheckPasswordContext(context.Background(), pw, encoded)
}

// CheckPasswordContext is CheckPassword, giving up with ctx's error (and false) if ctx ends while it waits for
// a hashing slot (see hashSlots).
func CheckPasswordContext(ctx context.Context, pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	got, err := boundedArgonKey(ctx, []byte(pw), salt, iter, mem, threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an email has no account, so a wrong email costs as much time as a wrong
// password and timing does not reveal which addresses are registered. The check goes through the same hashing
// slots as a real one, so it also queues the same way under load. The hash is made up rather than computed
// (no password has this key, short of an argon2id preimage): computing it would take a hashing slot, without
// a context, inside a sync.Once that every unknown-email sign-in waits on.
var dummyHash = sync.OnceValue(func() string {
	salt, key := make([]byte, 16), make([]byte, argonKeyLen)
	for i := range key {
		key[i] = byte(i*37 + 11)
	}
	return encodeHash(salt, key)
})

// encodeHash writes salt and key, with the current parameters, in the PHC string format CheckPassword reads.
func encodeHash(salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}
