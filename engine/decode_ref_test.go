package engine

// The scenario reader and decoder as they were before the speed work
// (commit 9750e7d: json.go's reader, decode.go), kept verbatim under ref*
// names as the reference the faster ParseScenario and ParseScenarios must
// equal: the same Scenario for every accepted input, the same error (path
// and message) for every refused one (decode_fast_test.go). The validator
// did not change: the reference calls validate.go's.

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// refReader reads one JSON document. Errors are sticky: the first one is
// kept in err (with the path of the value being read) and every later call
// returns false.
type refReader struct {
	data  []byte
	pos   int
	depth int
	err   *ScenarioError
	// path is the stack of object keys and array indexes leading to the
	// value being read; it is turned into a string only for an error.
	path  [MaxDepth + 2]refPathSeg
	npath int
	// buf holds the last string that needed unescaping.
	buf []byte
}

// refPathSeg is one step of a JSON path: an object key, or an array index
// when key is "" and isIndex is set.
type refPathSeg struct {
	key     string
	index   int
	isIndex bool
}

func (r *refReader) push(key string) {
	if r.npath < len(r.path) {
		r.path[r.npath] = refPathSeg{key: key}
	}
	r.npath++
}

func (r *refReader) pushIndex(i int) {
	if r.npath < len(r.path) {
		r.path[r.npath] = refPathSeg{index: i, isIndex: true}
	}
	r.npath++
}

func (r *refReader) pop() { r.npath-- }

// pathString renders the current path: interfaces[0].addresses[1].cidr,
// [3].routes[0] inside a batch, "" for the document itself.
func (r *refReader) pathString() string {
	n := min(r.npath, len(r.path))
	var b []byte
	for _, s := range r.path[:n] {
		if s.isIndex {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
			continue
		}
		b = refAppendPathKey(b, s.key)
	}
	return string(b)
}

// appendPathKey appends .key, or ["key"] when the key is not a plain
// identifier (an unknown field can be anything).
func refAppendPathKey(b []byte, key string) []byte {
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
		b = appendJSONString(b, refShorten(key))
		return append(b, ']')
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, key...)
}

// fail records msg as the error at the current path (unless an error is
// already recorded) and returns false.
func (r *refReader) fail(msg string) bool {
	if r.err == nil {
		r.err = &ScenarioError{Path: r.pathString(), Msg: msg}
	}
	return false
}

// syntax records a JSON syntax error at the current byte, with its line
// and column (1-based; the column counts bytes).
func (r *refReader) syntax(msg string) bool {
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
	return r.fail("invalid JSON at line " + itoa(line) + ", column " + itoa(col) + ": " + msg)
}

// ws skips whitespace and returns the next byte, 0 at the end of input.
func (r *refReader) ws() byte {
	if r.pos < len(r.data) && r.data[r.pos] > ' ' {
		return r.data[r.pos]
	}
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return c
		}
	}
	return 0
}

// describe names what a value starting with c is, for "expected X, got Y".
func refDescribe(c byte) string {
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
func (r *refReader) badStart(want string) bool {
	c := r.ws()
	if c == 0 {
		return r.syntax("unexpected end of input, expected " + want)
	}
	if d := refDescribe(c); d != "" {
		return r.fail("expected " + want + ", got " + d)
	}
	return r.syntax("unexpected " + refQuoteByte(c) + ", expected " + want)
}

// quoteByte writes c for a message: 'x', or its code when not printable.
func refQuoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

// open consumes the opening '{' or '[' of a container (want says what was
// expected, for the error when something else is there).
func (r *refReader) open(c byte, want string) bool {
	if r.err != nil {
		return false
	}
	if r.ws() != c {
		return r.badStart(want)
	}
	if r.depth >= MaxDepth {
		return r.fail("nested too deeply (the limit, MaxDepth, is " + itoa(MaxDepth) + " levels)")
	}
	r.depth++
	r.pos++
	return true
}

// more reports whether the container opened with open has another member
// or element (consuming the separating comma), and consumes the closing
// byte when it has not. Use as: for first := true; r.more(&first, '}'); {…}
func (r *refReader) more(first *bool, closing byte) bool {
	if r.err != nil {
		return false
	}
	c := r.ws()
	if c == closing {
		r.pos++
		r.depth--
		return false
	}
	if c == 0 {
		return r.syntax("unexpected end of input (unclosed " + refContainerName(closing) + ")")
	}
	if !*first {
		if c != ',' {
			return r.syntax("unexpected " + refQuoteByte(c) + ", expected ',' or '" + string(rune(closing)) + "'")
		}
		r.pos++
		if c = r.ws(); c == closing {
			return r.syntax("trailing comma before '" + string(rune(closing)) + "'")
		}
		if c == 0 {
			return r.syntax("unexpected end of input (unclosed " + refContainerName(closing) + ")")
		}
	}
	*first = false
	return true
}

func refContainerName(closing byte) string {
	if closing == '}' {
		return "object"
	}
	return "array"
}

// key reads an object member's name and the colon after it. The bytes are
// valid until the next string is read.
func (r *refReader) key() ([]byte, bool) {
	if r.ws() != '"' {
		if r.ws() == 0 {
			return nil, r.syntax("unexpected end of input, expected a member name")
		}
		return nil, r.syntax("unexpected " + refQuoteByte(r.data[r.pos]) + ", expected a member name in double quotes")
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
func (r *refReader) String() ([]byte, bool) {
	if r.err != nil {
		return nil, false
	}
	if r.ws() != '"' {
		return nil, r.badStart("a string")
	}
	return r.str()
}

// str reads the string at the cursor (which is at its opening quote).
func (r *refReader) str() ([]byte, bool) {
	r.pos++
	start := r.pos
	d := r.data
	// Fast path: ASCII without escapes.
	i := start
	for i < len(d) {
		c := d[i]
		if c == '"' {
			r.pos = i + 1
			return d[start:i], true
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
		i++
	}
	r.buf = append(r.buf[:0], d[start:i]...)
	for i < len(d) {
		c := d[i]
		switch {
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
		case c != '\\':
			r.buf = append(r.buf, c)
			i++
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
				u, ok := refHex4(d, i)
				if !ok {
					return nil, r.syntax("bad \\u escape (it needs 4 hex digits)")
				}
				i += 4
				ru := rune(u)
				if 0xd800 <= u && u < 0xdc00 {
					lo, ok := uint32(0), false
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						lo, ok = refHex4(d, i+2)
					}
					if !ok || lo < 0xdc00 || lo >= 0xe000 {
						return nil, r.syntax("lone surrogate \\u" + refHexString(u) + " (a high surrogate must be followed by a low one)")
					}
					i += 6
					ru = 0x10000 + rune(u-0xd800)<<10 + rune(lo-0xdc00)
				} else if 0xdc00 <= u && u < 0xe000 {
					return nil, r.syntax("lone surrogate \\u" + refHexString(u) + " (a low surrogate without a high one)")
				}
				r.buf = utf8.AppendRune(r.buf, ru)
			default:
				return nil, r.syntax("unknown escape \\" + string(rune(d[i-1])))
			}
		}
	}
	r.pos = len(d)
	return nil, r.syntax("unexpected end of input in a string")
}

func refHexString(u uint32) string {
	s := strconv.FormatUint(uint64(u), 16)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// hex4 decodes the 4 hex digits at d[i:].
func refHex4(d []byte, i int) (uint32, bool) {
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
func (r *refReader) Bool() (bool, bool) {
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

func (r *refReader) literal(lit string) bool {
	if len(r.data)-r.pos < len(lit) || string(r.data[r.pos:r.pos+len(lit)]) != lit {
		return r.syntax("invalid literal (expected " + lit + ")")
	}
	r.pos += len(lit)
	return true
}

// Number reads a number and returns its text, checked against RFC 8259's
// grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *refReader) Number() ([]byte, bool) {
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
func (r *refReader) Uint32() (uint32, bool) {
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
func (r *refReader) end() bool {
	if r.err != nil {
		return false
	}
	if r.ws() != 0 {
		return r.syntax("unexpected " + refQuoteByte(r.data[r.pos]) + " after the end of the document")
	}
	return true
}

// shorten cuts s for quoting in a message.
func refShorten(s string) string {
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

// quote writes s as a JSON string for a message, cut to a readable size.
func refQuote(s string) string {
	return string(appendJSONString(nil, refShorten(s)))
}

// ParseScenario decodes one scenario (a JSON object) and validates it (see
// Validate). Every error is a *ScenarioError.
func refParseScenario(data []byte) (*Scenario, error) {
	if len(data) > MaxDocumentBytes {
		return nil, &ScenarioError{Msg: "the document is " + itoa(len(data)) + " bytes; the limit (MaxDocumentBytes) is " + itoa(MaxDocumentBytes)}
	}
	r := &refReader{data: data}
	if r.ws() == 0 {
		return nil, &ScenarioError{Msg: "the document is empty (expected a scenario object)"}
	}
	sc := r.scenario()
	if !r.end() {
		return nil, r.err
	}
	if err := sc.validate(); err != nil {
		return nil, err
	}
	return sc, nil
}

// ParseScenarios decodes either one scenario object or an array of them,
// validating each. In an array, error paths start with the scenario's
// index ("[3].routes[0].via"). An empty array gives an empty slice.
func refParseScenarios(data []byte) ([]*Scenario, error) {
	if len(data) > MaxBatchBytes {
		return nil, &ScenarioError{Msg: "the document is " + itoa(len(data)) + " bytes; the limit (MaxBatchBytes) is " + itoa(MaxBatchBytes)}
	}
	r := &refReader{data: data}
	switch r.ws() {
	case 0:
		return nil, &ScenarioError{Msg: "the document is empty (expected a scenario object or an array of them)"}
	case '{':
		if len(data) > MaxDocumentBytes {
			return nil, &ScenarioError{Msg: "the scenario is " + itoa(len(data)) + " bytes; the limit (MaxDocumentBytes) is " + itoa(MaxDocumentBytes)}
		}
		sc := r.scenario()
		if !r.end() {
			return nil, r.err
		}
		if err := sc.validate(); err != nil {
			return nil, err
		}
		return []*Scenario{sc}, nil
	}
	if !r.open('[', "a scenario object or an array of them") {
		return nil, r.err
	}
	out := []*Scenario{}
	for first := true; r.more(&first, ']'); {
		i := len(out)
		r.pushIndex(i)
		if i >= MaxBatch {
			r.fail("more than " + itoa(MaxBatch) + " scenarios (the limit, MaxBatch)")
			break
		}
		start := r.pos
		sc := r.scenario()
		if r.err != nil {
			break
		}
		if n := r.pos - start; n > MaxDocumentBytes {
			r.fail("the scenario is " + itoa(n) + " bytes; the limit (MaxDocumentBytes) is " + itoa(MaxDocumentBytes))
			break
		}
		if err := sc.validate(); err != nil {
			return nil, &ScenarioError{Path: refJoinPath("["+itoa(i)+"]", err.Path), Msg: err.Msg}
		}
		out = append(out, sc)
		r.pop()
	}
	if !r.end() {
		return nil, r.err
	}
	return out, nil
}

// joinPath joins a path prefix and a path relative to it.
func refJoinPath(prefix, rel string) string {
	if rel == "" || rel[0] == '[' {
		return prefix + rel
	}
	return prefix + "." + rel
}

// Field names, in the spec's order; the decoders' error messages list
// them.
var (
	refScenarioFields  = []string{"version", "interfaces", "routes", "destinations", "gai_conf", "hints"}
	refInterfaceFields = []string{"name", "addresses"}
	refAddressFields   = []string{"cidr", "deprecated", "home"}
	refRouteFields     = []string{"to", "via", "dev", "src", "metric", "onlink"}
	refHintsFields     = []string{"family", "flags"}
)

// member reads the next member name of an object and pushes it on the
// path, checking it against the allowed names (it returns the index of the
// name) and against the ones already seen.
func (r *refReader) member(allowed []string, seen *uint32) (int, bool) {
	k, ok := r.key()
	if !ok {
		return -1, false
	}
	for idx, name := range allowed {
		if string(k) == name {
			r.push(name)
			if *seen&(1<<idx) != 0 {
				return -1, r.fail("duplicate field (each field may appear once)")
			}
			*seen |= 1 << idx
			return idx, true
		}
	}
	key := string(k)
	r.push(key)
	list := strings.Join(allowed, ", ")
	msg := "unknown field (allowed: " + list + ")"
	for _, name := range allowed {
		if refAsciiEqualFold(key, name) {
			msg = "unknown field (did you mean " + refQuote(name) + "? allowed: " + list + ")"
		}
	}
	return -1, r.fail(msg)
}

// asciiEqualFold is strings.EqualFold for ASCII; strings.EqualFold would
// link the unicode tables into the WebAssembly module.
func refAsciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// missing reports a required field absent from the object at the path.
func (r *refReader) missing(field, what string) bool {
	return r.fail("missing " + refQuote(field) + " (" + what + ")")
}

// scenario reads one scenario object (not validated).
func (r *refReader) scenario() *Scenario {
	sc := &Scenario{Version: 1}
	if !r.open('{', "an object (a scenario)") {
		return sc
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(refScenarioFields, &seen)
		if !ok {
			break
		}
		switch f {
		case 0: // version
			num, ok := r.Number()
			if ok && string(num) != "1" {
				r.fail("version " + string(num) + " is not supported (this reader knows only version 1)")
			}
		case 1:
			sc.Interfaces = r.interfaces()
		case 2:
			sc.Routes = r.routes(sc.Interfaces)
		case 3:
			sc.Destinations = r.destinations()
		case 4:
			if s, ok := r.String(); ok {
				if len(s) > MaxGaiConfBytes {
					r.fail("gai.conf text of " + itoa(len(s)) + " bytes; the limit (MaxGaiConfBytes) is " + itoa(MaxGaiConfBytes))
				}
				sc.GaiConf = string(s)
			}
		case 5:
			r.hints(&sc.Hints)
		}
		r.pop()
	}
	if r.err == nil && seen&(1<<3) == 0 {
		r.missing("destinations", "the addresses the name resolves to, at least one")
	}
	return sc
}

func (r *refReader) interfaces() []Interface {
	var stack [4]Interface
	out := stack[:0]
	if !r.open('[', "an array of interfaces") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxInterfaces {
			r.fail("more than " + itoa(MaxInterfaces) + " interfaces (the limit, MaxInterfaces)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, Interface{})
		r.iface(&out[len(out)-1])
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	return slices.Clone(out)
}

func (r *refReader) iface(ifc *Interface) {
	if !r.open('{', "an object (an interface)") {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(refInterfaceFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			if s, ok := r.String(); ok {
				ifc.Name = string(s)
			}
		case 1:
			ifc.Addresses = r.addresses()
		}
		r.pop()
	}
	if r.err == nil && seen&1 == 0 {
		r.missing("name", "the interface's name, e.g. eth0")
	}
}

func (r *refReader) addresses() []IfAddr {
	var stack [8]IfAddr
	out := stack[:0]
	if !r.open('[', "an array of addresses") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxAddressesPerInterface {
			r.fail("more than " + itoa(MaxAddressesPerInterface) + " addresses (the limit, MaxAddressesPerInterface)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, IfAddr{})
		r.address(&out[len(out)-1])
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	return slices.Clone(out)
}

func (r *refReader) address(a *IfAddr) {
	if !r.open('{', `an object (an address, e.g. {"cidr": "172.19.0.7/16"})`) {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(refAddressFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			if s, ok := r.String(); ok {
				p, msg := refParseCIDR(s, false)
				if msg != "" {
					r.fail(msg)
				}
				a.Prefix = p
			}
		case 1:
			a.Deprecated, _ = r.Bool()
		case 2:
			a.Home, _ = r.Bool()
		}
		r.pop()
	}
	if r.err == nil && seen&1 == 0 {
		r.missing("cidr", "the address and its prefix length, e.g. 172.19.0.7/16")
	}
}

func (r *refReader) routes(ifaces []Interface) []Route {
	var stack [4]Route
	out := stack[:0]
	if !r.open('[', "an array of routes") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxRoutes {
			r.fail("more than " + itoa(MaxRoutes) + " routes (the limit, MaxRoutes)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, Route{})
		r.route(&out[len(out)-1], ifaces)
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	return slices.Clone(out)
}

func (r *refReader) route(rt *Route, ifaces []Interface) {
	if !r.open('{', `an object (a route, e.g. {"to": "default", "via": "172.19.0.1"})`) {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(refRouteFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			if s, ok := r.String(); ok {
				if string(s) == "default" {
					rt.Default = true
				} else {
					p, msg := refParseCIDR(s, true)
					if msg != "" {
						r.fail(msg)
					}
					rt.To = p
				}
			}
		case 1:
			rt.Via = r.addr(false)
		case 2:
			if s, ok := r.String(); ok {
				rt.Dev = refInternName(s, ifaces)
			}
		case 3:
			rt.Src = r.addr(false)
		case 4:
			rt.Metric, _ = r.Uint32()
			rt.HasMetric = true
		case 5:
			rt.OnLink, _ = r.Bool()
		}
		r.pop()
	}
	if r.err != nil {
		return
	}
	if seen&1 == 0 {
		r.missing("to", `the destination prefix or "default"`)
		return
	}
	if rt.Default {
		// The spec: default's family is the family of via, IPv4 when
		// there is no via.
		if rt.Via.Is6() {
			rt.To = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
		} else {
			rt.To = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		}
	}
}

func (r *refReader) destinations() []netip.Addr {
	var stack [16]netip.Addr
	out := stack[:0]
	if !r.open('[', "an array of addresses") {
		return nil
	}
	for first := true; r.more(&first, ']'); {
		if len(out) == MaxDestinations {
			r.fail("more than " + itoa(MaxDestinations) + " addresses (the limit, MaxDestinations)")
			break
		}
		r.pushIndex(len(out))
		out = append(out, r.addr(true))
		r.pop()
	}
	if len(out) == 0 || r.err != nil {
		return nil
	}
	return slices.Clone(out)
}

// addr reads an address (no prefix length); zoneOK allows an IPv6 zone
// (Validate checks it).
func (r *refReader) addr(zoneOK bool) netip.Addr {
	s, ok := r.String()
	if !ok {
		return netip.Addr{}
	}
	a, err := refParseAddrBytes(s)
	if err != nil {
		if i := strings.IndexByte(string(s), '/'); i >= 0 {
			if _, err := netip.ParseAddr(string(s[:i])); err == nil {
				r.fail(refQuote(string(s)) + " is a prefix; write the address alone: " + string(s[:i]))
				return netip.Addr{}
			}
		}
		r.fail(refQuote(string(s)) + " is not an IP address (" + refAddrReason(err, string(s)) + ")")
		return netip.Addr{}
	}
	if a.Zone() != "" && !zoneOK {
		r.fail(refQuote(string(s)) + " has a zone; a gateway or source takes none (name the interface in dev)")
		return netip.Addr{}
	}
	return a
}

// parseAddrBytes is netip.ParseAddr on bytes without copying them into a
// string first: that copy was half of ParseScenario's allocations. It is
// safe because netip.ParseAddr keeps nothing of its argument in the Addr
// it returns (a zone is copied by unique.Make); only its error quotes the
// argument, so on error the parse is redone on a real copy.
func refParseAddrBytes(b []byte) (netip.Addr, error) {
	if len(b) == 0 {
		return netip.ParseAddr("")
	}
	a, err := netip.ParseAddr(unsafe.String(&b[0], len(b)))
	if err != nil {
		return netip.ParseAddr(string(b))
	}
	return a, nil
}

// addrReason is netip's reason why s is no address, without its
// ParseAddr("…"): preamble.
func refAddrReason(err error, s string) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "ParseAddr("+strconv.Quote(s)+"): "); ok {
		return rest
	}
	return msg
}

// parseCIDR parses address/length as written (host bits kept). It returns
// a message saying what is wrong, or "". isRoute tailors the hint for a
// missing length.
func refParseCIDR(b []byte, isRoute bool) (netip.Prefix, string) {
	if p, ok := refParseCIDRFast(b); ok {
		return p, ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, refQuote(s) + " is not an address/length (" + refAddrReason(err, s) + ")"
		}
		if a.Zone() != "" {
			return netip.Prefix{}, refQuote(s) + " has a zone; " + refZoneNotHere(isRoute)
		}
		full := itoa(a.BitLen())
		if isRoute {
			return netip.Prefix{}, refQuote(s) + " has no prefix length (write " + s + "/" + full + " for a host route)"
		}
		eg := "24"
		if a.Is6() {
			eg = "64"
		}
		return netip.Prefix{}, refQuote(s) + " has no prefix length (write " + s + "/" + eg + ", say, or /" + full + " for a single address)"
	}
	a, err := netip.ParseAddr(s[:i])
	if err != nil {
		return netip.Prefix{}, refQuote(s) + " is not an address/length (" + refAddrReason(err, s[:i]) + ")"
	}
	if a.Zone() != "" {
		return netip.Prefix{}, refQuote(s) + " has a zone; " + refZoneNotHere(isRoute)
	}
	bits := s[i+1:]
	n, err := strconv.ParseUint(bits, 10, 8)
	if err != nil || bits[0] == '+' || len(bits) > 1 && bits[0] == '0' {
		return netip.Prefix{}, refQuote(s) + ": the prefix length " + refQuote(bits) + " is not a decimal number"
	}
	if int(n) > a.BitLen() {
		fam := "IPv4"
		if a.Is6() {
			fam = "IPv6"
		}
		return netip.Prefix{}, refQuote(s) + ": the prefix length " + bits + " is too long for " + fam + " (at most " + itoa(a.BitLen()) + ")"
	}
	return netip.PrefixFrom(a, int(n)), ""
}

// parseCIDRFast parses a well-formed address/length without allocating;
// anything else is left to parseCIDR's careful path.
func refParseCIDRFast(b []byte) (netip.Prefix, bool) {
	i := len(b) - 1
	for i >= 0 && '0' <= b[i] && b[i] <= '9' {
		i--
	}
	if i < 0 || b[i] != '/' || len(b)-i < 2 || len(b)-i > 4 || b[i+1] == '0' && len(b)-i > 2 {
		return netip.Prefix{}, false
	}
	n := 0
	for _, c := range b[i+1:] {
		n = n*10 + int(c-'0')
	}
	a, err := refParseAddrBytes(b[:i])
	if err != nil || a.Zone() != "" || n > a.BitLen() {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, n), true
}

func refZoneNotHere(isRoute bool) string {
	if isRoute {
		return "a route's destination takes none (name the interface in dev)"
	}
	return "an interface's address takes none (it is on its interface already)"
}

// internName returns name as a string, sharing the storage of an
// interface's equal name (or the constant "lo") instead of allocating.
func refInternName(name []byte, ifaces []Interface) string {
	if string(name) == "lo" {
		return "lo"
	}
	for i := range ifaces {
		if ifaces[i].Name == string(name) {
			return ifaces[i].Name
		}
	}
	return string(name)
}

// hints reads the hints object.
func (r *refReader) hints(h *Hints) {
	if !r.open('{', `an object (e.g. {"family": "unspec", "flags": ["AI_ADDRCONFIG"]})`) {
		return
	}
	var seen uint32
	for first := true; r.more(&first, '}'); {
		f, ok := r.member(refHintsFields, &seen)
		if !ok {
			return
		}
		switch f {
		case 0:
			if s, ok := r.String(); ok {
				fam, ok := ParseFamily(string(s))
				if !ok {
					r.fail("unknown family " + refQuote(string(s)) + " (allowed: unspec, inet, inet6)")
				}
				h.Family = fam
			}
		case 1:
			if !r.open('[', "an array of flag names") {
				break
			}
			i := 0
			for first := true; r.more(&first, ']'); i++ {
				r.pushIndex(i)
				if s, ok := r.String(); ok {
					fl, ok := ParseFlag(string(s))
					switch {
					case !ok:
						r.fail("unknown flag " + refQuote(string(s)) + " (allowed: AI_ADDRCONFIG, AI_V4MAPPED, AI_ALL)")
					case h.Flags&fl != 0:
						r.fail(string(s) + " is listed twice")
					}
					h.Flags |= fl
				}
				r.pop()
			}
		}
		r.pop()
	}
}

// For the differential tests of package engine_test (decode_fast_test.go),
// which can use scengen and the shared vectors.
var (
	RefParseScenario  = refParseScenario
	RefParseScenarios = refParseScenarios
)

// TestDecodeDocs gives engine_test the documents of decode_test.go.
func TestDecodeDocs(t *testing.T) {
	if len(DecodeDocs()) < len(validScenarios)+len(malformed) {
		t.Fatal("DecodeDocs misses documents")
	}
}

// DecodeDocs returns the valid and malformed documents of decode_test.go.
func DecodeDocs() [][]byte {
	var out [][]byte
	for _, s := range validScenarios {
		out = append(out, []byte(s))
	}
	for _, tc := range malformed {
		out = append(out, []byte(tc.doc))
	}
	return out
}
