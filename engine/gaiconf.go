package engine

import (
	"net/netip"
	"slices"
	"strings"
)

// This file parses /etc/gai.conf exactly as glibc 2.36 does
// (sysdeps/posix/getaddrinfo.c, gaiconf_init, add_prefixlist,
// add_scopelist), including what it silently ignores.

// GaiConfKind is the keyword of a gai.conf line.
type GaiConfKind uint8

const (
	GaiConfUnknown    GaiConfKind = iota // a keyword glibc does not know: the line is ignored
	GaiConfLabel                         // label PREFIX VALUE
	GaiConfPrecedence                    // precedence PREFIX VALUE
	GaiConfScopeV4                       // scopev4 PREFIX VALUE
	GaiConfReload                        // reload yes|...
)

var gaiConfKindNames = [...]string{"unknown", "label", "precedence", "scopev4", "reload"}

// String is the keyword ("label"); "unknown" for an unknown keyword.
func (k GaiConfKind) String() string {
	if int(k) < len(gaiConfKindNames) {
		return gaiConfKindNames[k]
	}
	return "unknown"
}

// GaiConfLine is one line of gai.conf that is not blank or only a comment,
// as glibc 2.36 read it.
type GaiConfLine struct {
	// Line is the 1-based line number.
	Line int
	// Kind is what the keyword means to glibc; Keyword is the keyword as
	// written (the first word).
	Kind    GaiConfKind
	Keyword string
	// Arg1 and Arg2 are the next two words as written ("" when absent);
	// glibc ignores anything after them.
	Arg1, Arg2 string
	// Valid: glibc took the line into its tables (or, for reload, set its
	// flag). When false, Problem says why glibc ignored it.
	Valid   bool
	Problem string
	// Prefix is the prefix of a valid label, precedence or scopev4 line
	// over the 128-bit form (scopev4 IPv4 prefixes as ::ffff:a.b.c.d/96+n),
	// host bits kept as written. Value is its value.
	Prefix netip.Prefix
	Value  int
	// NoLen: the prefix was written without /LEN (glibc 2.36 bug 32465).
	NoLen bool
	// Reload is the flag a reload line sets: true only for "reload yes".
	Reload bool
	// Extra: the line has words after the value, which glibc ignores.
	Extra bool
}

// GaiConf is a parsed gai.conf: the tables glibc 2.36 would sort with and
// every line with what glibc made of it.
type GaiConf struct {
	// Labels, Precedence and Scopes are the tables in lookup order (first
	// match wins). Scopes rows are IPv4-mapped prefixes (/96 .. /128).
	Labels, Precedence, Scopes PolicyTable
	// Builtin*: no valid line of the kind, so the built-in table is used.
	BuiltinLabels, BuiltinPrecedence, BuiltinScopes bool
	// CatchAll*: glibc appended its catch-all row (label ::/0 1,
	// precedence ::/0 40, scopev4 0.0.0.0/0 14) because no valid line of
	// the kind had length 0 (96 for scopev4).
	CatchAllLabels, CatchAllPrecedence, CatchAllScopes bool
	// Reload is the reload flag after the file; ReloadEverSet says a
	// "reload yes" line was seen.
	Reload, ReloadEverSet bool
	// Crash is the first scopev4 line without /LEN read while the
	// parser's endp pointer was still uninitialised (glibc 2.36 bug
	// 32465), 0 for none. What happens depends on the stack garbage: on
	// the Debian 12 build the process crashes with SIGSEGV when
	// getaddrinfo took the AF_UNSPEC (gethostbyname4_r) path, and the line
	// is ignored after the AF_INET and AF_INET6 paths (observed).
	Crash int
	// Lines are the file's non-blank lines, in file order.
	Lines []GaiConfLine

	// The tables compiled for lookups.
	labels, precedence, scopes gaiTable
}

// gaiTable is a table compiled for lookups: first match wins, as
// match_prefix and get_scope scan. The built-in tables also carry an index
// by first byte (indexGai), so that most lookups meet one or two rows.
type gaiTable struct {
	rows  []gaiRow
	first *[256][]uint8
}

type gaiRow struct {
	p prefix128
	v int
}

func compileGai(t PolicyTable) gaiTable {
	c := gaiTable{rows: make([]gaiRow, len(t))}
	for i, r := range t {
		c.rows[i] = gaiRow{prefix128Of(r.Prefix), r.Value}
	}
	return c
}

// indexGai adds the first-byte index to a table that is built once
// (worth its 256 entries only then; at most 256 rows).
func indexGai(t gaiTable) gaiTable {
	t.first = new([256][]uint8)
	for b := range t.first {
		for i, r := range t.rows {
			if byte(b)&byte(r.p.mask.hi>>56) == byte(r.p.addr.hi>>56) {
				t.first[b] = append(t.first[b], uint8(i))
			}
		}
	}
	return t
}

// lookup returns the value of the first row containing x. Every glibc
// table ends in a catch-all, so some row always matches.
func (t gaiTable) lookup(x addr128) int {
	if t.first != nil {
		for _, i := range t.first[x.hi>>56] {
			if t.rows[i].p.contains(x) {
				return t.rows[i].v
			}
		}
		return 0
	}
	for i := range t.rows {
		if t.rows[i].p.contains(x) {
			return t.rows[i].v
		}
	}
	return 0
}

// compile fills the compiled tables from the exported ones.
func (c *GaiConf) compile() {
	c.labels = compileGai(c.Labels)
	c.precedence = compileGai(c.Precedence)
	c.scopes = compileGai(c.Scopes)
}

// glibc 2.36 built-in tables (getaddrinfo.c default_labels,
// default_precedence, default_scopes), in array order: lookup takes the
// first row that matches.
var (
	glibcDefaultLabels = PolicyTable{
		{mustPrefix("::1/128"), 0},
		{mustPrefix("2002::/16"), 2},
		{mustPrefix("::/96"), 3},
		{mustPrefix("::ffff:0:0/96"), 4},
		{mustPrefix("fec0::/10"), 5},
		{mustPrefix("fc00::/7"), 6},
		{mustPrefix("2001::/32"), 7},
		{mustPrefix("::/0"), 1},
	}
	glibcDefaultPrecedence = PolicyTable{
		{mustPrefix("::1/128"), 50},
		{mustPrefix("2002::/16"), 30},
		{mustPrefix("::/96"), 20},
		{mustPrefix("::ffff:0:0/96"), 10},
		{mustPrefix("::/0"), 40},
	}
	glibcDefaultScopes = PolicyTable{
		{mustPrefix("::ffff:169.254.0.0/112"), 2},
		{mustPrefix("::ffff:127.0.0.0/104"), 2},
		{mustPrefix("::ffff:0.0.0.0/96"), 14},
	}
)

// The catch-all rows gaiconf_init appends when a kind has no length-0 line.
const (
	glibcCatchAllLabel      = 1
	glibcCatchAllPrecedence = 40
	glibcCatchAllScope      = 14
)

// defaultGaiConf is the configuration without a gai.conf file (read-only).
var defaultGaiConf = func() GaiConf {
	c := GaiConf{
		Labels: glibcDefaultLabels, Precedence: glibcDefaultPrecedence, Scopes: glibcDefaultScopes,
		BuiltinLabels: true, BuiltinPrecedence: true, BuiltinScopes: true,
	}
	c.compile()
	c.labels, c.precedence, c.scopes = indexGai(c.labels), indexGai(c.precedence), indexGai(c.scopes)
	return c
}()

var (
	catchAll6 = mustPrefix("::/0")
	catchAll4 = mustPrefix("::ffff:0.0.0.0/96")
)

// cIsSpace is isspace() in the C locale.
func cIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// gaiLine is one line split as gaiconf_init splits it. Offsets are from
// the start of the line, which getline stores at the start of its buffer.
type gaiLine struct {
	raw          string // the bytes getline read, '\n' included
	cmd          string // the keyword
	val1, val2   string // the next two words
	v1Off, v2Off int    // their offsets
	nul          [4]int // offsets gaiconf_init overwrote with '\0', -1 unused
	slash        int    // offset of the '/' in val1 (overwritten by strchr), -1 none
	skip         bool   // no keyword: the line is skipped (val1len == 0)
	extra        bool   // words after val2, ignored
}

// splitGaiLine splits raw as gaiconf_init does: C string functions stop at
// the first NUL byte; everything from the first '#' is a comment; words are
// separated by isspace characters.
func splitGaiLine(raw string) gaiLine {
	l := gaiLine{raw: raw, nul: [4]int{-1, -1, -1, -1}, slash: -1}
	s := raw
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
		l.nul[0] = i
	}
	p := 0
	for p < len(s) && cIsSpace(s[p]) {
		p++
	}
	cmdStart := p
	for p < len(s) && !cIsSpace(s[p]) {
		p++
	}
	l.cmd = s[cmdStart:p]
	if p < len(s) {
		l.nul[1] = p
		p++
	}
	for p < len(s) && cIsSpace(s[p]) {
		p++
	}
	v1 := p
	for p < len(s) && !cIsSpace(s[p]) {
		p++
	}
	// glibc 2.36 computes val1len as cp - cmd (not cp - val1), so only an
	// empty line (no keyword) is skipped here.
	if p-cmdStart == 0 {
		l.skip = true
		return l
	}
	l.val1, l.v1Off = s[v1:p], v1
	if p < len(s) {
		l.nul[2] = p
		p++
	}
	for p < len(s) && cIsSpace(s[p]) {
		p++
	}
	v2 := p
	for p < len(s) && !cIsSpace(s[p]) {
		p++
	}
	l.val2, l.v2Off = s[v2:p], v2
	l.nul[3] = p
	for q := p; q < len(s); q++ {
		if !cIsSpace(s[q]) {
			l.extra = true
			break
		}
	}
	if l.cmd == "label" || l.cmd == "precedence" || l.cmd == "scopev4" {
		if i := strings.IndexByte(l.val1, '/'); i >= 0 {
			l.slash = v1 + i
		}
	}
	return l
}

// byteAt is the byte at offset k of the line buffer after line l was read
// and split: the line itself, its terminating NUL, or what an earlier,
// longer line left there (getline does not clear its buffer).
func (l *gaiLine) byteAt(k int) (byte, bool) {
	if k > len(l.raw) {
		return 0, false
	}
	if k == len(l.raw) {
		return 0, true
	}
	for _, n := range l.nul {
		if n == k {
			return 0, true
		}
	}
	if k == l.slash {
		return 0, true
	}
	return l.raw[k], true
}

// staleByte is the byte at offset k of getline's buffer after line n (1-based)
// of text was read and split: from line n, or left by the latest earlier
// line long enough to reach k. Memory no line reached is taken as zero (a
// fresh heap block). The buffer is assumed not to move (getline reallocates
// beyond 120 bytes; lines that long are not modelled).
func staleByte(text string, n, k int) byte {
	var b byte
	for off, i := 0, 1; off < len(text) && i <= n; i++ {
		end := strings.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off + 1
		}
		l := splitGaiLine(text[off:end])
		off = end
		if x, ok := l.byteAt(k); ok {
			b = x
		}
	}
	return b
}

// cStrtoul is strtoul(s, &end, 10) on a token holding no white space:
// optional sign, decimal digits; end is the offset after the digits, 0
// when there are none; erange reports overflow (value ULONG_MAX). A
// leading '-' negates modulo 2^64, as C does.
func cStrtoul(s string) (v uint64, end int, erange bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if !erange {
			if v > (^uint64(0)-d)/10 {
				erange = true
			} else {
				v = v*10 + d
			}
		}
		i++
	}
	if i == start {
		return 0, 0, false
	}
	if erange {
		return ^uint64(0), i, true
	}
	if neg {
		v = -v
	}
	return v, i, false
}

const cIntMax = 1<<31 - 1

// inetPton4 is glibc 2.36 inet_pton4 (resolv/inet_pton.c): exactly four
// decimal octets, no leading zeros, each at most 255.
func inetPton4(s string) (a [4]byte, ok bool) {
	sawDigit, octets, tp := false, 0, 0
	var tmp [4]uint
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			n := tmp[tp]*10 + uint(ch-'0')
			if sawDigit && tmp[tp] == 0 {
				return a, false
			}
			if n > 255 {
				return a, false
			}
			tmp[tp] = n
			if !sawDigit {
				octets++
				if octets > 4 {
					return a, false
				}
				sawDigit = true
			}
		case ch == '.' && sawDigit:
			if octets == 4 {
				return a, false
			}
			tp++
			tmp[tp] = 0
			sawDigit = false
		default:
			return a, false
		}
	}
	if octets < 4 {
		return a, false
	}
	for i := range a {
		a[i] = byte(tmp[i])
	}
	return a, true
}

// inetPton6 is glibc 2.36 inet_pton6: no zone, an embedded dotted quad
// only where four bytes remain.
func inetPton6(s string) (a [16]byte, ok bool) {
	var tmp [16]byte
	tp, colonp := 0, -1
	if len(s) == 0 {
		return a, false
	}
	i := 0
	if s[0] == ':' {
		i++
		if i == len(s) || s[i] != ':' {
			return a, false
		}
	}
	curtok := i
	xdigits := 0
	val := uint(0)
	for i < len(s) {
		ch := s[i]
		i++
		d := -1
		switch {
		case ch >= '0' && ch <= '9':
			d = int(ch - '0')
		case ch >= 'a' && ch <= 'f':
			d = int(ch-'a') + 10
		case ch >= 'A' && ch <= 'F':
			d = int(ch-'A') + 10
		}
		if d >= 0 {
			if xdigits == 4 {
				return a, false
			}
			val = val<<4 | uint(d)
			xdigits++
			continue
		}
		if ch == ':' {
			curtok = i
			if xdigits == 0 {
				if colonp >= 0 {
					return a, false
				}
				colonp = tp
				continue
			} else if i == len(s) {
				return a, false
			}
			if tp+2 > 16 {
				return a, false
			}
			tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
			tp += 2
			xdigits, val = 0, 0
			continue
		}
		if ch == '.' && tp+4 <= 16 {
			if v4, ok4 := inetPton4(s[curtok:]); ok4 {
				copy(tmp[tp:], v4[:])
				tp += 4
				xdigits = 0
				break
			}
		}
		return a, false
	}
	if xdigits > 0 {
		if tp+2 > 16 {
			return a, false
		}
		tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
		tp += 2
	}
	if colonp >= 0 {
		if tp == 16 {
			return a, false
		}
		n := tp - colonp
		copy(tmp[16-n:], tmp[colonp:tp])
		for j := colonp; j < 16-n; j++ {
			tmp[j] = 0
		}
		tp = 16
	}
	if tp != 16 {
		return a, false
	}
	return tmp, true
}

// ParseGaiConf reads text as glibc 2.36 reads /etc/gai.conf. An empty text
// is "no file": the built-in tables.
func ParseGaiConf(text string) GaiConf { return ParseGaiConfFor(text, Glibc236) }

// ParseGaiConfFor reads text as glibc version v reads /etc/gai.conf.
//
// Up to 2.40 a number is read with a bare strtoul: an empty value (or an
// empty /LEN) reads as 0, and a prefix without /LEN reads an uninitialised
// pointer (bug 32465; what that does on Debian 12 is below). From 2.41
// (commit 33aeb88c5b) every number goes through valid_decimal_value, which
// rejects an empty one, and a prefix without /LEN is a whole address: /128,
// or /32 for a dotted-quad scopev4 prefix.
func ParseGaiConfFor(text string, v GlibcVersion) GaiConf { return parseGaiConf(text, v, endpInvalid) }

// uninitEndp is what an endp no strtoul has set holds (see parseGaiConf).
type uninitEndp uint8

const (
	endpInvalid uninitEndp = iota // an invalid pointer: GaiConf.Crash
	endpNUL                       // a pointer to a NUL byte: the line is taken
	endpJunk                      // a valid pointer to another byte: the line is rejected
)

// parseGaiConf is ParseGaiConfFor. Before 2.41 the first line without
// /LEN reads an endp nothing set, whose value is whatever the stack held
// (uninit, for 2.31: 2.36 has its own rules below): a pointer to a NUL
// byte (the line is taken), to another byte (rejected), or an invalid
// pointer (GaiConf.Crash; whether the library then dies
// depends on the lookup, see GlibcModel.Sort). What the stack holds
// depends on the version and the call path, as measured with the real
// libraries (testdata/vectors/curated/gaiconf-nolen-*):
//   - 2.36 (Debian 12): label and precedence are parsed in add_prefixlist,
//     a function of its own, whose endp was never a valid pointer to a
//     NUL: the line is rejected, never a crash. scopev4 is parsed inline
//     with an endp of its own (scopeEndp), shared by the scopev4 lines.
//   - 2.31 (Debian 11): every keyword is parsed inline in gaiconf_init
//     and shares one endp. Without AI_ADDRCONFIG the slot holds an invalid
//     pointer; after AI_ADDRCONFIG's __check_pf it points at a NUL when
//     __check_pf saw a configured family (an address but 127.0.0.1 or
//     ::1), and at another byte when it saw none (GlibcModel.GaiConf).
//
// After a strtoul has run, endp points into the getline buffer where that
// strtoul stopped, and a later line without /LEN reads that byte of the
// reused buffer (staleByte): NUL takes the line, anything else rejects it.
func parseGaiConf(text string, v GlibcVersion, uninit uninitEndp) GaiConf {
	if text == "" {
		return defaultGaiConf
	}
	validated := v.validatesGaiConf()
	// One endp for every keyword (2.31), or for scopev4 alone (2.36).
	sharedEndp := v == Glibc231
	var c GaiConf
	var labels, prec, scopes PolicyTable
	nl := strings.Count(text, "\n") + 1
	c.Lines = make([]GaiConfLine, 0, nl)
	var labelNull, precNull, scopeNull bool
	// scopeEndp is where the scopev4 block's endp variable (2.36), or the
	// one endp of every keyword (2.31), points: the buffer offset of its
	// last strtoul, -1 while never assigned.
	scopeEndp := -1
	lineNo := 0
	for off := 0; off < len(text); {
		end := strings.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off + 1
		}
		raw := text[off:end]
		off = end
		lineNo++
		l := splitGaiLine(raw)
		if l.skip {
			continue
		}
		gl := GaiConfLine{Line: lineNo, Keyword: l.cmd, Arg1: l.val1, Arg2: l.val2, Extra: l.extra}
		switch l.cmd {
		case "label", "precedence":
			if l.cmd == "label" {
				gl.Kind = GaiConfLabel
			} else {
				gl.Kind = GaiConfPrecedence
			}
			addr, lenStr, hasLen := strings.Cut(l.val1, "/")
			gl.NoLen = !hasLen
			a, ok := inetPton6(addr)
			bits := uint64(128)
			switch {
			case !ok:
				gl.Problem = badPrefixProblem(addr)
			case !hasLen && validated:
				// 2.41+: a whole address, /128.
			case !hasLen && sharedEndp && scopeEndp < 0 && uninit == endpNUL:
				// 2.31 after AI_ADDRCONFIG: endp happens to point at a
				// NUL; the line is a whole address.
			case !hasLen && sharedEndp && scopeEndp < 0 && uninit == endpJunk:
				gl.Problem = noLenProblem(v, noLenJunk, addr, 128)
			case !hasLen && sharedEndp && scopeEndp < 0:
				if c.Crash == 0 {
					c.Crash = lineNo
				}
				gl.Problem = noLenProblem(v, noLenCrash31, addr, 128)
			case !hasLen && sharedEndp && staleByte(text, lineNo, scopeEndp) != 0:
				gl.Problem = noLenProblem(v, noLenStale, addr, 128)
			case !hasLen && sharedEndp:
				// The stale pointer finds a NUL: a whole address.
			case !hasLen:
				// glibc 2.36 bug 32465: without /LEN the check reads an
				// uninitialised endp. On the Debian 12 build (2.36-9) such
				// lines were always rejected.
				gl.Problem = noLenProblem(v, noLenRejected, addr, 128)
			default:
				var e int
				var erange bool
				bits, e, erange = cStrtoul(lenStr)
				if sharedEndp {
					scopeEndp = l.v1Off + len(addr) + 1 + e
				}
				switch {
				case validated && lenStr == "":
					gl.Problem = "the prefix length after / is empty (glibc 2.41 and later reject it; write " + addr + "/128)"
				case erange:
					gl.Problem = "prefix length " + lenStr + " overflows"
				case e != len(lenStr):
					gl.Problem = "prefix length " + quoteC(lenStr) + " is not a decimal number"
				case bits > 128:
					gl.Problem = "prefix length " + lenStr + " is more than 128"
				}
			}
			if gl.Problem == "" {
				gl.Problem = valueProblem(l.val2, validated)
				if sharedEndp {
					_, e, _ := cStrtoul(l.val2)
					scopeEndp = l.v2Off + e
				}
			}
			if gl.Problem != "" {
				break
			}
			val, _, _ := cStrtoul(l.val2)
			gl.Valid = true
			gl.Prefix = netip.PrefixFrom(netip.AddrFrom16(a), int(bits))
			gl.Value = int(val)
			row := PolicyRow{Prefix: gl.Prefix, Value: gl.Value}
			if gl.Kind == GaiConfLabel {
				if labels == nil {
					labels = make(PolicyTable, 0, nl+1)
				}
				labels = append(labels, row)
				labelNull = labelNull || bits == 0
			} else {
				if prec == nil {
					prec = make(PolicyTable, 0, nl+1)
				}
				prec = append(prec, row)
				precNull = precNull || bits == 0
			}
		case "scopev4":
			gl.Kind = GaiConfScopeV4
			addr, lenStr, hasLen := strings.Cut(l.val1, "/")
			gl.NoLen = !hasLen
			lenOff := l.v1Off + len(addr) + 1
			var a16 [16]byte
			bits := uint64(0)
			minBits, maxBits, add := uint64(96), uint64(128), uint64(0)
			if a, ok := inetPton6(addr); ok {
				bits = 128
				if !isV4Mapped(a) {
					gl.Problem = "an IPv6 scopev4 prefix must be IPv4-mapped (::ffff:a.b.c.d)"
					break
				}
				a16 = a
			} else if a4, ok4 := inetPton4(addr); ok4 {
				bits, minBits, maxBits, add = 32, 0, 32, 96
				a16 = netip.AddrFrom4(a4).As16()
			} else {
				gl.Problem = "scopev4 " + quoteC(addr) + " is neither a dotted-quad IPv4 address nor an IPv4-mapped IPv6 address"
				break
			}
			if hasLen {
				var e int
				var erange bool
				bits, e, erange = cStrtoul(lenStr)
				scopeEndp = lenOff + e
				switch {
				case validated && lenStr == "":
					gl.Problem = "the prefix length after / is empty (glibc 2.41 and later reject it)"
				case erange:
					gl.Problem = "prefix length " + lenStr + " overflows"
				case e != len(lenStr):
					gl.Problem = "prefix length " + quoteC(lenStr) + " is not a decimal number"
				case bits < minBits || bits > maxBits:
					gl.Problem = "prefix length " + lenStr + " is out of range " + itoa(int(minBits)) + ".." + itoa(int(maxBits))
				}
			} else if !validated {
				// glibc 2.36 bug 32465: *endp is read although strtoul
				// never set it in this call. Until a scopev4 line has
				// run strtoul, endp is garbage and the Debian 12 build
				// crashes; afterwards it points where the last scopev4
				// strtoul stopped, into the reused getline buffer.
				if scopeEndp < 0 && sharedEndp && uninit == endpNUL {
					// 2.31 after AI_ADDRCONFIG: a whole address.
				} else if scopeEndp < 0 && sharedEndp && uninit == endpJunk {
					gl.Problem = noLenProblem(v, noLenJunk, addr, int(bits))
					break
				} else if scopeEndp < 0 {
					if c.Crash == 0 {
						c.Crash = lineNo
					}
					if sharedEndp {
						gl.Problem = noLenProblem(v, noLenCrash31, addr, int(bits))
					} else {
						gl.Problem = noLenProblem(v, noLenCrash36, addr, int(bits))
					}
					break
				} else if staleByte(text, lineNo, scopeEndp) != 0 {
					gl.Problem = noLenProblem(v, noLenStale, addr, int(bits))
					break
				}
			}
			if gl.Problem != "" {
				break
			}
			val, e, erange := cStrtoul(l.val2)
			scopeEndp = l.v2Off + e
			switch {
			case erange || val > cIntMax, e != len(l.val2), validated && l.val2 == "":
				gl.Problem = valueProblem(l.val2, validated)
			}
			if gl.Problem != "" {
				break
			}
			bits += add
			gl.Valid = true
			gl.Prefix = netip.PrefixFrom(netip.AddrFrom16(a16), int(bits)).Masked()
			gl.Value = int(val)
			if scopes == nil {
				scopes = make(PolicyTable, 0, nl+1)
			}
			scopes = append(scopes, PolicyRow{Prefix: gl.Prefix, Value: gl.Value})
			scopeNull = scopeNull || bits == 96
		case "reload":
			gl.Kind = GaiConfReload
			gl.Valid = true
			gl.Reload = l.val1 == "yes"
			c.Reload = gl.Reload
			c.ReloadEverSet = c.ReloadEverSet || gl.Reload
		default:
			gl.Kind = GaiConfUnknown
			gl.Problem = "unknown keyword " + quoteC(l.cmd) + knownKeywordHint(l.cmd)
		}
		c.Lines = append(c.Lines, gl)
	}
	c.Labels, c.BuiltinLabels, c.CatchAllLabels = finishTable(labels, labelNull, glibcDefaultLabels, catchAll6, glibcCatchAllLabel)
	c.Precedence, c.BuiltinPrecedence, c.CatchAllPrecedence = finishTable(prec, precNull, glibcDefaultPrecedence, catchAll6, glibcCatchAllPrecedence)
	c.Scopes, c.BuiltinScopes, c.CatchAllScopes = finishTable(scopes, scopeNull, glibcDefaultScopes, catchAll4, glibcCatchAllScope)
	// Built-in tables reuse their compiled form.
	c.labels, c.precedence, c.scopes = defaultGaiConf.labels, defaultGaiConf.precedence, defaultGaiConf.scopes
	if !c.BuiltinLabels {
		c.labels = compileGai(c.Labels)
	}
	if !c.BuiltinPrecedence {
		c.precedence = compileGai(c.Precedence)
	}
	if !c.BuiltinScopes {
		c.scopes = compileGai(c.Scopes)
	}
	return c
}

// finishTable builds a table as gaiconf_init does: the built-in one when
// the file has no valid line of the kind; else the file's lines in file
// order, the catch-all appended when none has the catch-all length, sorted
// by prefix length, longest first, with glibc's stable merge sort (so equal
// lengths keep file order and the first duplicate wins).
func finishTable(rows PolicyTable, hasNull bool, builtin PolicyTable, all netip.Prefix, allValue int) (PolicyTable, bool, bool) {
	if len(rows) == 0 {
		return builtin, true, false
	}
	if !hasNull {
		rows = append(rows, PolicyRow{Prefix: all, Value: allValue})
	}
	slices.SortStableFunc(rows, func(a, b PolicyRow) int { return b.Prefix.Bits() - a.Prefix.Bits() })
	return rows, false, !hasNull
}

func isV4Mapped(a [16]byte) bool {
	for i := 0; i < 10; i++ {
		if a[i] != 0 {
			return false
		}
	}
	return a[10] == 0xff && a[11] == 0xff
}

// valueProblem says why glibc rejects VALUE, "" when it accepts it. An
// empty VALUE is accepted as 0 before 2.41 (strtoul's no-digits case is
// not detected); validated (2.41+) rejects it.
func valueProblem(s string, validated bool) string {
	v, e, erange := cStrtoul(s)
	switch {
	case validated && s == "":
		return "the value is missing (glibc 2.41 and later reject an empty value; 2.36 read it as 0)"
	case erange:
		return "value " + quoteC(s) + " overflows"
	case e != len(s):
		return "value " + quoteC(s) + " is not a decimal number"
	case v > cIntMax:
		if len(s) > 0 && s[0] == '-' {
			return "value " + quoteC(s) + " is negative (strtoul makes it " + strconvU(v) + ", more than INT_MAX)"
		}
		return "value " + quoteC(s) + " is more than INT_MAX (2147483647)"
	}
	return ""
}

func badPrefixProblem(addr string) string {
	if _, ok := inetPton4(addr); ok {
		return "an IPv4 address is not accepted here: write ::ffff:" + addr + " with a length of 96+n"
	}
	if strings.IndexByte(addr, '%') >= 0 {
		return "a zone (%...) is not accepted in " + quoteC(addr)
	}
	return quoteC(addr) + " is not an IPv6 address"
}

func knownKeywordHint(cmd string) string {
	low := strings.ToLower(cmd)
	for _, k := range [...]string{"label", "precedence", "scopev4", "reload"} {
		if low == k {
			return " (keywords are case-sensitive: write " + k + ")"
		}
		if editDistance1(low, k) {
			return " (did you mean " + k + "?)"
		}
	}
	return ""
}

// editDistance1 reports whether a and b differ by at most one insertion,
// deletion, substitution or adjacent transposition.
func editDistance1(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

// quoteC quotes a word of the file for a message, as a JSON string (the
// same quoting as every message of the engine): a control character or a
// stray byte in the file never reaches a message raw.
// quoteC is not inlined (eleven error paths; make size).
//
//go:noinline
func quoteC(s string) string { return string(appendQuoted(nil, s)) }

func strconvU(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(b[i:])
}

// What a glibc before 2.41 does with a gai.conf prefix written without
// /LEN (bug 32465; parseGaiConf says when each applies).
const (
	noLenRejected = iota // label/precedence in 2.36: always rejected
	noLenJunk            // an uninitialised endp pointing at a non-NUL byte
	noLenStale           // a stale endp pointing at a non-NUL byte
	noLenCrash31         // 2.31's invalid endp
	noLenCrash36         // 2.36's invalid endp (scopev4)
)

var noLenWhat = [...]string{
	noLenRejected: "glibc before 2.41 rejects a prefix without a length (bug 32465)",
	noLenJunk:     " reads an uninitialised pointer here (bug 32465) and rejects this line",
	noLenStale:    " reads a stale pointer here (bug 32465) and rejects this line",
	noLenCrash31:  " reads an uninitialised pointer here (bug 32465); on Debian 11 the program crashes (SIGSEGV) unless the lookup asked for AI_ADDRCONFIG",
	noLenCrash36:  " reads an uninitialised pointer here (bug 32465); on Debian 12 the program crashes (SIGSEGV) when the lookup is for family unspec, or for inet without AI_ADDRCONFIG, and the line is ignored otherwise",
}

// noLenProblem is the problem of a prefix addr written without /LEN, for
// glibc v in case what; the fix names the length meant. One function, not
// a concatenation at each place: parseGaiConf is the module's largest
// function after the explanations, and every inlined concatenation adds to
// it.
//
//go:noinline
func noLenProblem(v GlibcVersion, what int, addr string, bits int) string {
	s := "no /LEN: "
	if what != noLenRejected {
		s += "glibc " + v.String()
	}
	return s + noLenWhat[what] + "; write " + addr + "/" + itoa(bits)
}
