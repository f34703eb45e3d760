package engine

// A small, strict JSON reader and append-style writer for the scenario
// format.
//
// Why not encoding/json: the engine also ships as a WebAssembly module with
// a 2.85 MB size budget, and a whole request (decode, sort, encode) must take
// under 20 µs. encoding/json pulls in reflect (and with it fmt-sized
// tables) and was measured at about 150 µs per scenario round trip through
// reflection; this reader walks the bytes once, knows the JSON path of
// every value for error messages, allocates only what the Scenario keeps,
// and is strict where encoding/json is lenient (duplicate keys, invalid
// UTF-8, lone surrogates).
//
// The reader follows RFC 8259 exactly: no comments, no trailing commas, no
// leading zeros, no NaN or Infinity, no unescaped control characters in
// strings, UTF-8 only, nothing after the document but whitespace. A \u
// escape of a lone surrogate (\ud800 not followed by a low surrogate) is an
// error: no string of the format can mean one. Nesting deeper than MaxDepth
// is an error.

import (
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// jsonReader reads one JSON document. Errors are sticky: the first one is
// kept in err (with the path of the value being read) and every later call
// returns false.
type jsonReader struct {
	data  []byte
	pos   int
	depth int
	err   *ScenarioError
	// path is the stack of object keys and array indexes leading to the
	// value being read; it is turned into a string only for an error.
	path  [MaxDepth + 2]pathSeg
	npath int
	// buf holds the last string that needed unescaping.
	buf []byte
}

// pathSeg is one step of a JSON path: an object key, or an array index
// when key is "" and isIndex is set.
type pathSeg struct {
	key     string
	index   int
	isIndex bool
}

func (r *jsonReader) push(key string) {
	if r.npath < len(r.path) {
		r.path[r.npath] = pathSeg{key: key}
	}
	r.npath++
}

func (r *jsonReader) pushIndex(i int) {
	if r.npath < len(r.path) {
		r.path[r.npath] = pathSeg{index: i, isIndex: true}
	}
	r.npath++
}

func (r *jsonReader) pop() { r.npath-- }

// pathString renders the current path: interfaces[0].addresses[1].cidr,
// [3].routes[0] inside a batch, "" for the document itself.
func (r *jsonReader) pathString() string {
	n := min(r.npath, len(r.path))
	var b []byte
	for _, s := range r.path[:n] {
		if s.isIndex {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
			continue
		}
		b = appendPathKey(b, s.key)
	}
	return string(b)
}

// appendPathKey appends .key, or ["key"] when the key is not a plain
// identifier (an unknown field can be anything).
func appendPathKey(b []byte, key string) []byte {
	plain := key != ""
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			plain = false
			break
		}
	}
	if !plain {
		b = append(b, '[')
		b = appendQuoted(b, shorten(key))
		return append(b, ']')
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, key...)
}

// fail records msg as the error at the current path (unless an error is
// already recorded) and returns false.
func (r *jsonReader) fail(msg string) bool {
	if r.err == nil {
		r.err = &ScenarioError{Path: r.pathString(), Msg: msg}
	}
	return false
}

// failLimit is fail for a limit of limits.go passed (code TooLarge).
func (r *jsonReader) failLimit(msg string) bool {
	if r.err == nil {
		r.err = tooLarge(r.pathString(), msg)
	}
	return false
}

// syntax records a JSON syntax error at the current byte, with its line
// and column (1-based; the column counts bytes) and its offset (0-based,
// in bytes from the document's start).
func (r *jsonReader) syntax(msg string) bool {
	if r.err != nil {
		return false
	}
	line, col := 1, 1
	for _, c := range r.data[:min(r.pos, len(r.data))] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return r.fail("invalid JSON at line " + itoa(line) + ", column " + itoa(col) + " (byte " + itoa(r.pos) + "): " + msg)
}

// ws skips whitespace and returns the next byte, 0 at the end of input.
// A NUL byte in the input is 0 too: callers that take 0 for the end check
// eof (a NUL is no JSON and must not pass for the end of the document).
// One table load a byte, on locals, small enough to be inlined.
func (r *jsonReader) ws() byte {
	d, i := r.data, r.pos
	for i < len(d) && jsonSpace[d[i]] {
		i++
	}
	r.pos = i
	if i < len(d) {
		return d[i]
	}
	return 0
}

// eof reports whether the cursor is past the last byte.
func (r *jsonReader) eof() bool { return r.pos >= len(r.data) }

// jsonSpace[c] is set for JSON's whitespace: space, tab, LF, CR.
var jsonSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// describe names what a value starting with c is, for "expected X, got Y".
func describe(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "a number"
	}
	return ""
}

// badStart reports the value at the cursor, which is not what the caller
// wanted: a type error when it is a JSON value, else a syntax error.
func (r *jsonReader) badStart(want string) bool {
	c := r.ws()
	if r.eof() {
		return r.syntax("unexpected end of input, expected " + want)
	}
	if d := describe(c); d != "" {
		return r.fail("expected " + want + ", got " + d)
	}
	return r.syntax("unexpected " + quoteByte(c) + ", expected " + want)
}

// quoteByte writes c for a message: 'x', or its code when not printable.
func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

// open consumes the opening '{' or '[' of a container (want says what was
// expected, for the error when something else is there).
func (r *jsonReader) open(c byte, want string) bool {
	if r.err != nil {
		return false
	}
	if r.ws() != c {
		return r.badStart(want)
	}
	if r.depth >= MaxDepth {
		return r.failLimit("nested too deeply (the limit, MaxDepth, is " + itoa(MaxDepth) + " levels)")
	}
	r.depth++
	r.pos++
	return true
}

// more reports whether the container opened with open has another member
// or element (consuming the separating comma), and consumes the closing
// byte when it has not. Use as: for first := true; r.more(&first, '}'); {…}
func (r *jsonReader) more(first *bool, closing byte) bool {
	if r.err != nil {
		return false
	}
	c := r.ws()
	if c == closing {
		r.pos++
		r.depth--
		return false
	}
	if r.eof() {
		return r.syntax("unexpected end of input (unclosed " + containerName(closing) + ")")
	}
	if !*first {
		if c != ',' {
			return r.syntax("unexpected " + quoteByte(c) + ", expected ',' or '" + string(rune(closing)) + "'")
		}
		r.pos++
		if c = r.ws(); c == closing {
			return r.syntax("trailing comma before '" + string(rune(closing)) + "'")
		}
		if r.eof() {
			return r.syntax("unexpected end of input (unclosed " + containerName(closing) + ")")
		}
	}
	*first = false
	return true
}

func containerName(closing byte) string {
	if closing == '}' {
		return "object"
	}
	return "array"
}

// key reads an object member's name and the colon after it. The bytes are
// valid until the next string is read.
func (r *jsonReader) key() ([]byte, bool) {
	if r.ws() != '"' {
		if r.eof() {
			return nil, r.syntax("unexpected end of input, expected a member name")
		}
		return nil, r.syntax("unexpected " + quoteByte(r.data[r.pos]) + ", expected a member name in double quotes")
	}
	k, ok := r.str()
	if !ok {
		return nil, false
	}
	if r.ws() != ':' {
		return nil, r.syntax("expected ':' after the member name")
	}
	r.pos++
	return k, true
}

// String reads a string value. The bytes are valid until the next string
// is read: they alias the input, or the reader's buffer when the string
// has escapes.
func (r *jsonReader) String() ([]byte, bool) {
	if r.err != nil {
		return nil, false
	}
	if r.ws() != '"' {
		return nil, r.badStart("a string")
	}
	return r.str()
}

// StringCopy reads a string value for the caller to keep, in one
// allocation: a string that needed unescaping hands over the buffer it was
// unescaped into (no copy; the reader starts a new one) instead of copying
// it.
func (r *jsonReader) StringCopy() (string, bool) {
	s, ok := r.String()
	if !ok || len(s) == 0 {
		return "", ok
	}
	if unsafe.SliceData(s) == unsafe.SliceData(r.buf) {
		r.buf = nil
		return unsafe.String(&s[0], len(s)), true
	}
	return string(s), true
}

// str reads the string at the cursor (which is at its opening quote).
func (r *jsonReader) str() ([]byte, bool) {
	r.pos++
	start := r.pos
	d := r.data
	// Fast path: printable ASCII without escapes, one table load a byte.
	i := start
	for i < len(d) && jsonPlain[d[i]] {
		i++
	}
	if i < len(d) && d[i] == '"' {
		r.pos = i + 1
		return d[start:i], true
	}
	// The string has escapes or bytes beyond printable ASCII: it is
	// unescaped into r.buf, sized once to the escaped text's length (the
	// unescaped text is never longer: \uXXXX is at most 3 bytes of UTF-8,
	// a surrogate pair's 12 bytes are 4), and runs of plain bytes are
	// copied in bulk.
	end := i
	for end < len(d) && d[end] != '"' {
		if d[end] == '\\' {
			end++
		}
		end++
	}
	if cap(r.buf) < end-start {
		r.buf = make([]byte, 0, end-start)
	}
	r.buf = append(r.buf[:0], d[start:i]...)
	for i < len(d) {
		c := d[i]
		switch {
		case jsonPlain[c]:
			j := i + 1
			for j < len(d) && jsonPlain[d[j]] {
				j++
			}
			r.buf = append(r.buf, d[i:j]...)
			i = j
		case c == '"':
			r.pos = i + 1
			return r.buf, true
		case c < 0x20:
			r.pos = i
			return nil, r.syntax("control character 0x" + strconv.FormatUint(uint64(c), 16) + " in a string must be escaped")
		case c >= 0x80:
			ru, n := utf8.DecodeRune(d[i:])
			if ru == utf8.RuneError && n <= 1 {
				r.pos = i
				return nil, r.syntax("invalid UTF-8 in a string")
			}
			r.buf = append(r.buf, d[i:i+n]...)
			i += n
		default:
			r.pos = i
			if i+1 >= len(d) {
				return nil, r.syntax("unexpected end of input in a string")
			}
			i += 2
			switch d[i-1] {
			case '"', '\\', '/':
				r.buf = append(r.buf, d[i-1])
			case 'b':
				r.buf = append(r.buf, '\b')
			case 'f':
				r.buf = append(r.buf, '\f')
			case 'n':
				r.buf = append(r.buf, '\n')
			case 'r':
				r.buf = append(r.buf, '\r')
			case 't':
				r.buf = append(r.buf, '\t')
			case 'u':
				u, ok := hex4(d, i)
				if !ok {
					return nil, r.syntax("bad \\u escape (it needs 4 hex digits)")
				}
				i += 4
				ru := rune(u)
				if 0xd800 <= u && u < 0xdc00 {
					lo, ok := uint32(0), false
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						lo, ok = hex4(d, i+2)
					}
					if !ok || lo < 0xdc00 || lo >= 0xe000 {
						return nil, r.syntax("lone surrogate \\u" + hexString(u) + " (a high surrogate must be followed by a low one)")
					}
					i += 6
					ru = 0x10000 + rune(u-0xd800)<<10 + rune(lo-0xdc00)
				} else if 0xdc00 <= u && u < 0xe000 {
					return nil, r.syntax("lone surrogate \\u" + hexString(u) + " (a low surrogate without a high one)")
				}
				r.buf = utf8.AppendRune(r.buf, ru)
			default:
				return nil, r.syntax(unknownEscape(d[i-1]))
			}
		}
	}
	r.pos = len(d)
	return nil, r.syntax("unexpected end of input in a string")
}

// unknownEscape says that a backslash is followed by c, which starts no
// JSON escape: quoted as quoteByte quotes, so that an input byte never
// reaches a message raw (a control character, a stray UTF-8 byte).
func unknownEscape(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "unknown escape '\\" + string(rune(c)) + "'"
	}
	return "unknown escape: '\\' followed by " + quoteByte(c)
}

func hexString(u uint32) string {
	s := strconv.FormatUint(uint64(u), 16)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// hex4 decodes the 4 hex digits at d[i:].
func hex4(d []byte, i int) (uint32, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var u uint32
	for _, c := range d[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		u = u<<4 | uint32(c)
	}
	return u, true
}

// Bool reads true or false.
func (r *jsonReader) Bool() (bool, bool) {
	if r.err != nil {
		return false, false
	}
	switch r.ws() {
	case 't':
		return true, r.literal("true")
	case 'f':
		return false, r.literal("false")
	}
	return false, r.badStart("true or false")
}

func (r *jsonReader) literal(lit string) bool {
	if len(r.data)-r.pos < len(lit) || string(r.data[r.pos:r.pos+len(lit)]) != lit {
		return r.syntax("invalid literal (expected " + lit + ")")
	}
	r.pos += len(lit)
	return true
}

// Number reads a number and returns its text, checked against RFC 8259's
// grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) Number() ([]byte, bool) {
	if r.err != nil {
		return nil, false
	}
	c := r.ws()
	if c != '-' && (c < '0' || c > '9') {
		return nil, r.badStart("a number")
	}
	d, start, i := r.data, r.pos, r.pos
	digits := func() bool {
		n := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
		return i > n
	}
	if d[i] == '-' {
		i++
	}
	if i < len(d) && d[i] == '0' {
		i++
		if i < len(d) && '0' <= d[i] && d[i] <= '9' {
			r.pos = i
			return nil, r.syntax("leading zero in a number")
		}
	} else if !digits() {
		r.pos = i
		return nil, r.syntax("a number needs digits after '-'")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			r.pos = i
			return nil, r.syntax("a number needs digits after '.'")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			r.pos = i
			return nil, r.syntax("a number needs digits in its exponent")
		}
	}
	r.pos = i
	return d[start:i], true
}

// Uint32 reads an integer from 0 to 4294967295 written without fraction or
// exponent.
func (r *jsonReader) Uint32() (uint32, bool) {
	num, ok := r.Number()
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseUint(string(num), 10, 32)
	if err != nil {
		return 0, r.fail(string(num) + " is not an integer from 0 to 4294967295")
	}
	return uint32(v), true
}

// end checks that nothing but whitespace follows the document.
func (r *jsonReader) end() bool {
	if r.err != nil {
		return false
	}
	if r.ws(); !r.eof() {
		return r.syntax("unexpected " + quoteByte(r.data[r.pos]) + " after the end of the document")
	}
	return true
}

// shorten cuts s for quoting in a message.
func shorten(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// Quote writes s as a JSON string for an error message, cut to a readable
// size, with every control character escaped (DEL and C1 included): the
// quoting of every message of the engine, for the module's and the
// command's own messages to quote alike.
func Quote(s string) string { return quote(s) }

// quote writes s as a JSON string for a message, cut to a readable size.
func quote(s string) string {
	return string(appendQuoted(nil, shorten(s)))
}

// quoteInner is quote(s) without its quotes, for a name inside words
// quoted from Linux.
func quoteInner(s string) string {
	q := quote(s)
	return q[1 : len(q)-1]
}

// appendQuoted appends s as a JSON string for a message: as
// appendJSONString does, and DEL and the C1 controls (U+0080 to U+009F,
// valid unescaped in JSON) escaped too, so that a message holds no control
// character whatever it quotes.
func appendQuoted(dst []byte, s string) []byte {
	start := len(dst)
	dst = appendJSONString(dst, s)
	for i := start; i < len(dst); i++ {
		if c := dst[i]; c == 0x7f || c == 0xc2 && i+1 < len(dst) && dst[i+1] < 0xa0 {
			return appendC1Escaped(dst[:start], dst[start:])
		}
	}
	return dst
}

// appendC1Escaped appends the escaped text q with DEL and the C1 controls
// written as \u00XX.
func appendC1Escaped(dst, q []byte) []byte {
	const hexDigits = "0123456789abcdef"
	q = append([]byte(nil), q...) // dst and q may share storage
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == 0x7f:
			dst = append(dst, `\u007f`...)
		case c == 0xc2 && i+1 < len(q) && q[i+1] < 0xa0:
			i++
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[q[i]>>4], hexDigits[q[i]&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// The writer: append-style helpers, so that a whole document is built in
// one buffer the caller can reuse.

// AppendJSONString appends s as a JSON string: quote, backslash and control
// characters escaped (as \n, \r, \t, \b, \f or \u00XX), every byte of
// invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029 escaped (so the text
// is also valid JavaScript). The answers use it; so does the WebAssembly
// module for its own error values.
func AppendJSONString(dst []byte, s string) []byte { return appendJSONString(dst, s) }

func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendJSONText(dst, s)
	return append(dst, '"')
}

// jsonPlain[c] is set for the bytes a JSON string holds as they are:
// printable ASCII but '"' and '\\'. The module's speed budget: the gc
// wasm backend makes each instruction of a byte loop ~12x dearer than
// natively, so the common byte costs one table load, and runs of plain
// bytes are copied in bulk.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONText appends the inside of appendJSONString(s), without the
// quotes. Escaping piece by piece gives what escaping the whole would as
// long as a piece cut inside a UTF-8 sequence is followed by ASCII (each
// stray byte is replaced on its own either way).
func appendJSONText(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			ru, n := utf8.DecodeRuneInString(s[i:])
			if ru != '\u2028' && ru != '\u2029' && (ru != utf8.RuneError || n > 1) {
				i += n // valid UTF-8 stays in the run
				continue
			}
			dst = append(dst, s[start:i]...)
			if n == 1 {
				dst = append(dst, "\ufffd"...)
			} else {
				dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[ru&0xf])
			}
			i += n
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	return append(dst, s[start:]...)
}

// appendJSONKey appends a member name and its colon, preceded by a comma
// unless it is the object's first member (then the '{' is appended).
func appendJSONKey(dst []byte, first bool, key string) []byte {
	if first {
		dst = append(dst, '{')
	} else {
		dst = append(dst, ',')
	}
	dst = appendJSONString(dst, key)
	return append(dst, ':')
}

// appendJSONUint appends an unsigned integer.
func appendJSONUint(dst []byte, v uint64) []byte { return strconv.AppendUint(dst, v, 10) }
