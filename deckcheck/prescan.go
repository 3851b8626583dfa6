package deckcheck

import (
	"bytes"
	"context"
	"io"
)

// The cheap look before the parse. pdfcpu loads every object of a file into memory and validates the whole
// page tree before it can say how many pages there are: a 19 MB file of 120,000 tiny pages took it half a
// minute and half a gigabyte. So Check first reads the raw bytes once, through a small window, like a reader
// that only tokenizes: it finds the page tree's /Count and counts the file's objects, and refuses a file over
// the page limit or too large to parse within the memory bound before pdfcpu ever sees it.

// MaxObjects bounds the objects a deck may hold, and with it the parser's memory: pdfcpu keeps up to about
// 3.4 KB per object (page objects are the heaviest: 49,900 of them took 167 MB), so under 100 MB at the bound.
// A deck of a few dozen slides exported by PowerPoint, Keynote, Google Slides or Canva holds a few thousand; a
// file with more is refused as too complex before it is parsed.
const MaxObjects = 25_000

// scanWindow is how much of the file the look holds at once: its whole memory, whatever the file.
const scanWindow = 64 << 10

// key is a dictionary key whose value the look reads.
type key int

const (
	keyNone key = iota
	keyType
	keyCount
	keyN
)

// shape is what the look finds.
type shape struct {
	pages   int // the /Count of the page tree's root (the last written, as updates append), else the largest of any node
	objects int // indirect objects written out plainly plus those packed in object streams, or xref entries if more
}

// prescan reads the size bytes of r once and returns the file's shape. It stops early, with what it found so
// far, once the file is over MaxObjects: it is refused either way. Only read errors and ctx's are returned.
func prescan(ctx context.Context, r io.ReaderAt, size int64) (shape, error) {
	s := &rawScanner{r: r, size: size, buf: make([]byte, 0, scanWindow)}
	l := look{root: -1}
	for tokens := 0; ; tokens++ {
		if tokens%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return l.shape(), err
			}
			if sh := l.shape(); sh.objects > MaxObjects {
				return sh, nil
			}
		}
		c, ok := s.next()
		if !ok {
			break
		}
		if isSpace(c) {
			continue
		}
		k, err := l.token(s, c)
		if err != nil {
			return l.shape(), err
		}
		l.prevKey = k
	}
	if l.inObj {
		l.endObject()
	}
	if s.err != nil {
		return l.shape(), s.err
	}
	return l.shape(), nil
}

// look is what prescan knows so far: the counts, and what it has read of the object it is in.
type look struct {
	plain, packed, xrefs  int
	inObj, isPages, isStm bool
	hasParent             bool
	count, n              int
	root, largest         int // the last root's /Count (-1: none yet); the largest /Count of any page-tree node
	prevKey               key // the token before this one when it was a name we read: the key of a value
}

// shape is the file's shape as far as the look has read.
func (l *look) shape() shape {
	sh := shape{objects: max(l.plain+l.packed, l.xrefs), pages: l.largest}
	if l.root >= 0 {
		sh.pages = l.root
	}
	return sh
}

// endObject counts what the object just closed said: its /Count if it is a page-tree node, its /N if it is an
// object stream.
func (l *look) endObject() {
	if l.isPages {
		l.largest = max(l.largest, l.count)
		if !l.hasParent {
			l.root = l.count // an update appended later replaces the tree: the last root counts
		}
	}
	if l.isStm {
		l.packed += max(l.n, 0)
	}
	l.inObj, l.isPages, l.isStm, l.hasParent, l.count, l.n = false, false, false, false, 0, 0
}

// token reads the token that starts with c (not a space) and returns the key it is when it is a name we read,
// keyNone otherwise. Only a read error skipping a stream is returned.
func (l *look) token(s *rawScanner, c byte) (key, error) {
	switch {
	case c == '%':
		s.skipLine()
	case c == '/':
		return l.name(s.word()), nil
	case c == '(':
		s.skipString()
	case c == '<':
		if b, ok := s.peek(); ok && b == '<' {
			s.pos++
		} else {
			s.skipUntil('>')
		}
	case isDelimiter(c):
	default:
		s.pos--
		return keyNone, l.regular(s)
	}
	return keyNone, nil
}

// name notes what a name (without its slash) says about the object it is in, and returns the key it is.
func (l *look) name(w []byte) key {
	k := keyNone
	switch string(w) { // no allocation: a conversion compared at once
	case "Type":
		k = keyType
	case "Count":
		k = keyCount
	case "N":
		k = keyN
	case "Parent":
		l.hasParent = l.hasParent || l.inObj
	}
	if l.inObj && l.prevKey == keyType {
		l.isPages = l.isPages || string(w) == "Pages"
		l.isStm = l.isStm || string(w) == "ObjStm"
	}
	return k
}

// regular reads a number (the value of /Count or /N) or a keyword: obj and endobj open and close objects,
// stream skips the stream's bytes, n and f outside an object are cross-reference entries.
func (l *look) regular(s *rawScanner) error {
	w := s.word()
	if v, ok := atoi(w); ok {
		switch {
		case l.inObj && l.prevKey == keyCount:
			l.count = v
		case l.inObj && l.prevKey == keyN:
			l.n = v
		}
		return nil
	}
	switch string(w) {
	case "obj":
		if l.inObj { // an object left open: count what it said anyway
			l.endObject()
		}
		l.plain++
		l.inObj = true
	case "endobj":
		l.endObject()
	case "stream":
		return s.skipPast([]byte("endstream"))
	case "n", "f":
		if !l.inObj {
			l.xrefs++
		}
	}
	return nil
}

// rawScanner reads a file through a window of scanWindow bytes.
type rawScanner struct {
	r    io.ReaderAt
	size int64
	off  int64 // file offset just past the window
	buf  []byte
	pos  int
	err  error
	w    [32]byte
}

// fill moves the window forward, keeping keep bytes from its end; false at the end of the file or on error.
func (s *rawScanner) fill(keep int) bool {
	if s.err != nil || s.off >= s.size {
		return false
	}
	keep = min(keep, len(s.buf))
	copy(s.buf[:keep], s.buf[len(s.buf)-keep:])
	n := int(min(int64(cap(s.buf)-keep), s.size-s.off))
	s.buf = s.buf[:keep+n]
	got, err := s.r.ReadAt(s.buf[keep:], s.off)
	if got < n {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		s.err = err
		return false
	}
	s.off += int64(n)
	s.pos = 0 // the kept bytes are searched again by skipPast; everything else keeps none
	return true
}

func (s *rawScanner) peek() (byte, bool) {
	if s.pos >= len(s.buf) && !s.fill(0) {
		return 0, false
	}
	return s.buf[s.pos], true
}

func (s *rawScanner) next() (byte, bool) {
	c, ok := s.peek()
	if ok {
		s.pos++
	}
	return c, ok
}

// word reads regular characters into the scanner's word buffer, valid until the next call; only the first 32
// bytes are kept, enough for every name and number we read.
func (s *rawScanner) word() []byte {
	k := 0
	for {
		c, ok := s.peek()
		if !ok || isSpace(c) || isDelimiter(c) {
			return s.w[:k]
		}
		s.pos++
		if k < len(s.w) {
			s.w[k] = c
			k++
		}
	}
}

// atoi reads a non-negative decimal integer of at most 9 digits (anything else is not a count we read).
func atoi(w []byte) (int, bool) {
	if len(w) == 0 || len(w) > 9 {
		return 0, false
	}
	v := 0
	for _, c := range w {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func (s *rawScanner) skipLine() {
	for {
		c, ok := s.peek()
		if !ok || c == '\r' || c == '\n' {
			return
		}
		s.pos++
	}
}

func (s *rawScanner) skipUntil(end byte) {
	for {
		c, ok := s.next()
		if !ok || c == end {
			return
		}
	}
}

// skipString skips a literal string: balanced parentheses, backslash escapes.
func (s *rawScanner) skipString() {
	depth := 1
	for depth > 0 {
		c, ok := s.next()
		if !ok {
			return
		}
		switch c {
		case '\\':
			s.next()
		case '(':
			depth++
		case ')':
			depth--
		}
	}
}

// skipPast moves just past the next occurrence of pat (stream data is never tokenized), or to the end.
func (s *rawScanner) skipPast(pat []byte) error {
	for {
		if i := bytes.Index(s.buf[s.pos:], pat); i >= 0 {
			s.pos += i + len(pat)
			return nil
		}
		s.pos = len(s.buf)
		if !s.fill(len(pat) - 1) {
			return s.err
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelimiter(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
